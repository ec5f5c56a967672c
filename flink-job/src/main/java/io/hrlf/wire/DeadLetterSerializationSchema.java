package io.hrlf.wire;

import io.hrlf.avro.DeadLetter;
import java.nio.ByteBuffer;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Dead letters to the dead-letter topic, under the refused record's own key. */
public class DeadLetterSerializationSchema implements KafkaRecordSerializationSchema<DeadLetter> {
    private static final long serialVersionUID = 1L;
    private final String topic;

    public DeadLetterSerializationSchema(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter letter, KafkaSinkContext context, Long timestamp) {
        ByteBuffer key = letter.getKey();
        byte[] keyBytes = null;
        if (key != null) {
            keyBytes = new byte[key.remaining()];
            key.duplicate().get(keyBytes);
        }
        return new ProducerRecord<>(topic, null, letter.getRejectedAtMillis().toEpochMilli(), keyBytes,
                WireFormat.encode(letter));
    }
}
