package io.hrlf.bench;

import io.hrlf.avro.FeatureChunk;
import io.hrlf.contract.Modality;
import io.hrlf.wire.WireFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The records every pipeline benchmark reads: per participant and second, one Avro chunk per
 * modality covering that second, with the demo simulator's frame rates (text 2, audio 10, vision 5
 * frames a second) and the benchmark model's dimensions. Encoded once, so producing them costs the
 * job under test nothing but the broker's work.
 */
final class FeatureLoad {
    static final int[] FRAMES_PER_SECOND = {2, 10, 5};
    static final int FRAMES_PER_PARTICIPANT_SECOND = 17;

    private final String[] topics;
    private final Random random = new Random(17);
    private final long[][] sequence;

    FeatureLoad(String[] topics, int participants) {
        this.topics = topics;
        this.sequence = new long[participants][3];
    }

    static String callId(int participant) {
        return "call-" + participant / 4;
    }

    static String participantId(int participant) {
        return "p" + participant;
    }

    /** The three chunks of one participant for the second starting at {@code fromMillis}. */
    List<ProducerRecord<byte[], byte[]>> second(int participant, long fromMillis) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(3);
        for (Modality m : Modality.ALL) {
            out.add(record(participant, m, fromMillis));
        }
        return out;
    }

    private ProducerRecord<byte[], byte[]> record(int participant, Modality m, long fromMillis) {
        int frames = FRAMES_PER_SECOND[m.ordinal()];
        int d = BenchModel.DIMS[m.ordinal()];
        long length = 1000 / frames;
        List<Long> starts = new ArrayList<>(frames);
        List<Long> ends = new ArrayList<>(frames);
        List<Float> values = new ArrayList<>(frames * d);
        for (int f = 0; f < frames; f++) {
            starts.add(fromMillis + f * length);
            ends.add(fromMillis + (f + 1) * length);
            for (int j = 0; j < d; j++) {
                values.add((float) random.nextGaussian() * 0.5f);
            }
        }
        String call = callId(participant);
        String who = participantId(participant);
        FeatureChunk chunk = FeatureChunk.newBuilder().setCallId(call).setParticipantId(who)
                .setModality(io.hrlf.avro.Modality.valueOf(m.name()))
                .setSequenceNumber(sequence[participant][m.ordinal()]++)
                .setProducerTimestampMillis(Instant.ofEpochMilli(fromMillis + 1000)).setDimension(d)
                .setFrameStartMillis(starts).setFrameEndMillis(ends).setValues(values).build();
        return new ProducerRecord<>(topics[m.ordinal()], WireFormat.participantKey(call, who), WireFormat.encode(chunk));
    }

    /**
     * One frame per topic and partition far after the data: it moves every partition's watermark past
     * the last window (and its lateness), so every window of a backlog is scored and the run can end.
     */
    List<ProducerRecord<byte[], byte[]>> sentinels(long atMillis, int partitions) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (Modality m : Modality.ALL) {
            int d = BenchModel.DIMS[m.ordinal()];
            List<Float> values = new ArrayList<>();
            for (int j = 0; j < d; j++) {
                values.add(0f);
            }
            for (int p = 0; p < partitions; p++) {
                FeatureChunk chunk = FeatureChunk.newBuilder().setCallId("sentinel").setParticipantId("clock" + p)
                        .setModality(io.hrlf.avro.Modality.valueOf(m.name())).setSequenceNumber(0)
                        .setProducerTimestampMillis(Instant.ofEpochMilli(atMillis)).setDimension(d)
                        .setFrameStartMillis(List.of(atMillis)).setFrameEndMillis(List.of(atMillis + 10))
                        .setValues(values).build();
                out.add(new ProducerRecord<>(topics[m.ordinal()], p, WireFormat.participantKey("sentinel", "clock" + p),
                        WireFormat.encode(chunk)));
            }
        }
        return out;
    }
}
