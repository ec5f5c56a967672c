package io.hrlf.job;

import static io.hrlf.testkit.CallFeatureStreams.scoreKey;

import io.hrlf.avro.FeatureChunk;
import io.hrlf.avro.SentimentScore;
import io.hrlf.testkit.CommittedConsumer;
import io.hrlf.testkit.EmbeddedKafka;
import io.hrlf.wire.WireFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The test kit's call streams ({@link io.hrlf.testkit.CallFeatureStreams}) sent to the job's input
 * topics in the job's wire format, and the job's scores read back. Here, beside the job's tests,
 * because the wire format is the job's: the test kit cannot depend on the job it tests.
 */
final class CallStreamsOverKafka {
    private CallStreamsOverKafka() {}

    static KafkaProducer<byte[], byte[]> producer(EmbeddedKafka kafka) {
        return producer(kafka.clientProperties());
    }

    /** A producer of raw bytes connecting with {@code props} (on a secured broker: as a given principal). */
    static KafkaProducer<byte[], byte[]> producer(Properties props) {
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
        return awaitScores(CommittedConsumer.subscribe(kafka.clientProperties(),
                "it-reader-" + topic + "-" + System.nanoTime(), true, topic), timeout, done);
    }

    /**
     * As {@link #awaitScores(EmbeddedKafka, String, Duration, Predicate)}, but read_uncommitted: every score
     * the job has written, also those in transactions no checkpoint has committed yet (and may never).
     */
    static Map<String, List<SentimentScore>> awaitWrittenScores(EmbeddedKafka kafka, String topic, Duration timeout,
                                                                Predicate<Map<String, List<SentimentScore>>> done)
            throws Exception {
        Properties props = kafka.clientProperties();
        props.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "it-uncommitted-reader-" + topic + "-" + System.nanoTime());
        props.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        props.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(topic));
        return awaitScores(consumer, timeout, done);
    }

    /** Polls {@code consumer} until {@code done} holds, then once more; closes it. */
    private static Map<String, List<SentimentScore>> awaitScores(KafkaConsumer<byte[], byte[]> subscribed,
                                                                 Duration timeout,
                                                                 Predicate<Map<String, List<SentimentScore>>> done)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, List<SentimentScore>> scores = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = subscribed) {
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
