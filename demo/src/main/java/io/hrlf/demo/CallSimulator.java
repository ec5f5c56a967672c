package io.hrlf.demo;

import io.hrlf.avro.FeatureChunk;
import io.hrlf.contract.Modality;
import io.hrlf.training.data.SyntheticDataset;
import io.hrlf.wire.WireFormat;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes, once a second and in real time, one chunk per participant and modality covering the
 * last second: text 2 frames, audio 10, vision 5 (as feature extractors of different rates would),
 * following {@link DemoScript}'s failures.
 */
final class CallSimulator implements Runnable {
    private static final int[] FRAMES_PER_SECOND = {2, 10, 5};

    private final KafkaProducer<byte[], byte[]> producer;
    private final String[] topics;
    private final List<List<SimulatedParticipant>> calls;
    private final float[][] directions;
    private final long startMillis;
    private final long durationSeconds;
    private final Random noise = new Random(7);
    private final Deque<ProducerRecord<byte[], byte[]>> delayedTranscripts = new ArrayDeque<>();
    private final Deque<Long> delayedUntil = new ArrayDeque<>();
    private volatile boolean stopped;
    private long sequence;

    CallSimulator(KafkaProducer<byte[], byte[]> producer, String[] topics, List<List<SimulatedParticipant>> calls,
                  int[] dims, long startMillis, long durationSeconds) {
        this.producer = producer;
        this.topics = topics;
        this.calls = calls;
        this.directions = SyntheticDataset.directions(dims);
        this.startMillis = startMillis;
        this.durationSeconds = durationSeconds;
    }

    static List<List<SimulatedParticipant>> participants(int calls, int perCall, int[] dims, long seed) {
        Random random = new Random(seed);
        String[] names = {"alice", "bob", "carol", "dave", "erin", "frank"};
        List<List<SimulatedParticipant>> out = new ArrayList<>();
        for (int c = 0; c < calls; c++) {
            List<SimulatedParticipant> call = new ArrayList<>();
            for (int p = 0; p < perCall; p++) {
                call.add(new SimulatedParticipant("call-" + (c + 1), names[p % names.length] + (p >= names.length ? p : ""),
                        dims, random));
            }
            out.add(call);
        }
        return out;
    }

    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        for (long second = 1; second <= durationSeconds && !stopped; second++) {
            sleepUntil(startMillis + second * 1000);
            long end = startMillis + second * 1000;
            for (int c = 0; c < calls.size(); c++) {
                for (int p = 0; p < calls.get(c).size(); p++) {
                    for (Modality m : Modality.ALL) {
                        if (!DemoScript.sends(c, p, m, second - 1)) {
                            continue;
                        }
                        ProducerRecord<byte[], byte[]> record = chunk(calls.get(c).get(p), m, end - 1000, end);
                        if (m == Modality.TEXT && DemoScript.transcriptLate(c, p)) {
                            delayedTranscripts.add(record);
                            delayedUntil.add(end + DemoScript.TRANSCRIPT_DELAY_SECONDS * 1000);
                        } else {
                            producer.send(record);
                        }
                    }
                }
            }
            while (!delayedUntil.isEmpty() && delayedUntil.peek() <= end) {
                delayedUntil.poll();
                producer.send(delayedTranscripts.poll());
            }
            producer.flush();
        }
    }

    private ProducerRecord<byte[], byte[]> chunk(SimulatedParticipant who, Modality m, long from, long to) {
        int frames = FRAMES_PER_SECOND[m.ordinal()];
        int d = directions[m.ordinal()].length;
        long length = (to - from) / frames;
        List<Long> starts = new ArrayList<>(frames);
        List<Long> ends = new ArrayList<>(frames);
        float[] values = new float[frames * d];
        for (int f = 0; f < frames; f++) {
            long start = from + f * length;
            starts.add(start);
            ends.add(start + length);
            SyntheticDataset.frame(directions[m.ordinal()], SyntheticDataset.DEFAULT_STRENGTH[m.ordinal()],
                    who.trueSentiment(start + length / 2), who.style(m), SyntheticDataset.DEFAULT_NOISE, noise,
                    values, f * d);
        }
        List<Float> boxed = new ArrayList<>(values.length);
        for (float v : values) {
            boxed.add(v);
        }
        FeatureChunk chunk = FeatureChunk.newBuilder().setCallId(who.callId).setParticipantId(who.participantId)
                .setModality(io.hrlf.avro.Modality.valueOf(m.name())).setSequenceNumber(sequence++)
                .setProducerTimestampMillis(Instant.now()).setDimension(d)
                .setFrameStartMillis(starts).setFrameEndMillis(ends).setValues(boxed).build();
        return new ProducerRecord<>(topics[m.ordinal()], WireFormat.participantKey(who.callId, who.participantId),
                WireFormat.encode(chunk));
    }

    private void sleepUntil(long epochMillis) {
        long wait = epochMillis - System.currentTimeMillis();
        if (wait > 0) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = true;
            }
        }
    }
}
