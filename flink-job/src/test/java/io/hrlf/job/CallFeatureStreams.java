package io.hrlf.job;

import io.hrlf.avro.FeatureChunk;
import io.hrlf.avro.SentimentScore;
import io.hrlf.consumer.ScoreTail;
import io.hrlf.contract.Modality;
import io.hrlf.demo.EmbeddedKafka;
import io.hrlf.model.testing.TinyContractModel;
import io.hrlf.wire.WireFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Deterministic feature streams for the end-to-end tests and the way to read their scores back.
 * Participant p's frames fill every bin of a window, and a frame's values are a fixed function of
 * (participant, modality, window, bin, feature), so the score of every window is known in advance
 * from {@link TinyContractModel#expectedScore}. Scores are keyed {@code call/participant@windowStart}.
 */
final class CallFeatureStreams {
    static final int STEPS = 4;
    static final int[] DIMS = {3, 2, 2};
    static final long WINDOW = 5_000;
    static final long BIN = WINDOW / STEPS;

    private CallFeatureStreams() {}

    static float value(int participant, Modality modality, int window, int bin, int feature) {
        return (float) (0.05 * (participant - 2) + 0.03 * (modality.ordinal() - 1) + 0.02 * Math.sin(window + bin)
                + 0.01 * feature);
    }

    /** One chunk with one frame per bin of {@code window}. */
    static FeatureChunk windowChunk(String call, int participant, Modality modality, int window, long seq) {
        int d = DIMS[modality.ordinal()];
        List<Long> starts = new ArrayList<>();
        List<Long> ends = new ArrayList<>();
        List<Float> values = new ArrayList<>();
        for (int bin = 0; bin < STEPS; bin++) {
            long start = window * WINDOW + bin * BIN;
            starts.add(start);
            ends.add(start + BIN);
            for (int j = 0; j < d; j++) {
                values.add(value(participant, modality, window, bin, j));
            }
        }
        return FeatureChunk.newBuilder().setCallId(call).setParticipantId("p" + participant)
                .setModality(io.hrlf.avro.Modality.valueOf(modality.name())).setSequenceNumber(seq)
                .setProducerTimestampMillis(Instant.now()).setDimension(d)
                .setFrameStartMillis(starts).setFrameEndMillis(ends).setValues(values).build();
    }

    /** The tiny model's score for a window of {@code participant} with the {@code present} modalities. */
    static float expectedScore(int participant, int window, boolean[] present) {
        float[][] values = new float[3][];
        float[][] masks = new float[3][];
        for (Modality m : Modality.ALL) {
            int d = DIMS[m.ordinal()];
            values[m.ordinal()] = new float[STEPS * d];
            masks[m.ordinal()] = new float[STEPS];
            if (!present[m.ordinal()]) {
                continue;
            }
            for (int bin = 0; bin < STEPS; bin++) {
                masks[m.ordinal()][bin] = 1f;
                for (int j = 0; j < d; j++) {
                    values[m.ordinal()][bin * d + j] = value(participant, m, window, bin, j);
                }
            }
        }
        return TinyContractModel.expectedScore(STEPS, DIMS, values, masks);
    }

    /** A frame of the "sentinel/clock" participant at {@code at}: sent to every partition, it moves the watermark. */
    static FeatureChunk sentinel(Modality m, long at) {
        int d = DIMS[m.ordinal()];
        List<Float> values = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            values.add(0f);
        }
        return FeatureChunk.newBuilder().setCallId("sentinel").setParticipantId("clock")
                .setModality(io.hrlf.avro.Modality.valueOf(m.name())).setSequenceNumber(at)
                .setProducerTimestampMillis(Instant.now()).setDimension(d)
                .setFrameStartMillis(List.of(at)).setFrameEndMillis(List.of(at + 10)).setValues(values).build();
    }

    static String scoreKey(SentimentScore score) {
        return score.getCallId() + "/" + score.getParticipantId() + "@" + score.getWindowStartMillis().toEpochMilli();
    }

    static KafkaProducer<byte[], byte[]> producer(EmbeddedKafka kafka) {
        Properties props = kafka.clientProperties();
        props.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    static void send(KafkaProducer<byte[], byte[]> producer, String topic, FeatureChunk chunk) throws Exception {
        producer.send(new ProducerRecord<>(topic, WireFormat.participantKey(chunk.getCallId(), chunk.getParticipantId()),
                WireFormat.encode(chunk))).get();
    }

    /** A sentinel must reach every partition: each one's watermark holds the job's back. */
    static void sendToEveryPartition(KafkaProducer<byte[], byte[]> producer, String topic, FeatureChunk chunk,
                                     int partitions) throws Exception {
        for (int partition = 0; partition < partitions; partition++) {
            // one record per partition, each its own chunk of the sentinel stream (not a re-delivery)
            FeatureChunk copy = FeatureChunk.newBuilder(chunk).setSequenceNumber(chunk.getSequenceNumber() + partition).build();
            producer.send(new ProducerRecord<>(topic, partition,
                    WireFormat.participantKey(copy.getCallId(), copy.getParticipantId()), WireFormat.encode(copy))).get();
        }
    }

    /**
     * Reads every committed score of {@code topic} (read_committed, from the start) until {@code done}
     * holds, then polls once more so that a duplicate committed right behind would be seen too.
     */
    static Map<String, List<SentimentScore>> awaitScores(EmbeddedKafka kafka, String topic, Duration timeout,
                                                         Predicate<Map<String, List<SentimentScore>>> done)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, List<SentimentScore>> scores = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = ScoreTail.committedConsumer(kafka.clientProperties(),
                "it-reader-" + topic + "-" + System.nanoTime(), true, topic)) {
            while (System.nanoTime() < deadline) {
                poll(consumer, Duration.ofMillis(200), scores);
                if (done.test(scores)) {
                    poll(consumer, Duration.ofMillis(1_500), scores);
                    return scores;
                }
            }
        }
        throw new AssertionError("expected scores did not arrive in " + timeout + "; have " + scores.keySet());
    }

    private static void poll(KafkaConsumer<byte[], byte[]> consumer, Duration timeout,
                             Map<String, List<SentimentScore>> scores) throws Exception {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
            SentimentScore score = WireFormat.decodeScore(record.value());
            scores.computeIfAbsent(scoreKey(score), k -> new ArrayList<>()).add(score);
        }
    }
}
