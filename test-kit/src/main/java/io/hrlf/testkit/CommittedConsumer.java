package io.hrlf.testkit;

import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the job's output topics as their consumers must: the job's sinks write in transactions, so
 * only committed records count. Here rather than in the score-tail tool because the job's, the
 * cluster's and the demo's tests read scores this way too, and none of them may depend on the demo.
 */
public final class CommittedConsumer {
    private CommittedConsumer() {}

    /**
     * A consumer of raw records that sees only committed transactions, subscribed to {@code topic}.
     *
     * @param client connection and security properties; copied, not changed
     */
    public static KafkaConsumer<byte[], byte[]> subscribe(Properties client, String groupId,
                                                          boolean fromBeginning, String topic) {
        Properties props = new Properties();
        props.putAll(client);
        props.setProperty(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
        props.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}
