package io.hrlf.bench;

import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The baseline of the pipeline benchmark: the same three topics read by the same Kafka source,
 * union, and written unchanged by the same exactly-once Kafka sink. No decoding, no windows, no
 * model: what Kafka -> Flink -> Kafka costs on this machine, which the job can at best match.
 */
final class PassThroughJob {
    private PassThroughJob() {}

    /** Bytes in, the same bytes out. */
    private static final class Identity implements SerializationSchema<byte[]> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(byte[] element) {
            return element;
        }
    }

    static void build(StreamExecutionEnvironment env, String bootstrap, String[] inputTopics, String outputTopic,
                      String groupId, String transactionalIdPrefix) {
        DataStream<byte[]> all = null;
        for (String topic : inputTopics) {
            KafkaSource<byte[]> source = KafkaSource.<byte[]>builder()
                    .setBootstrapServers(bootstrap)
                    .setTopics(topic)
                    .setGroupId(groupId)
                    .setStartingOffsets(OffsetsInitializer.earliest())
                    .setDeserializer(KafkaRecordDeserializationSchema.valueOnly(ByteArrayDeserializer.class))
                    .build();
            DataStream<byte[]> stream = env.fromSource(source, WatermarkStrategy.noWatermarks(), "Kafka " + topic);
            all = all == null ? stream : all.union(stream);
        }
        Properties producer = new Properties();
        producer.setProperty("transaction.timeout.ms", String.valueOf(600_000));
        all.sinkTo(KafkaSink.<byte[]>builder()
                .setBootstrapServers(bootstrap)
                .setRecordSerializer(KafkaRecordSerializationSchema.<byte[]>builder()
                        .setTopic(outputTopic).setValueSerializationSchema(new Identity()).build())
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .setKafkaProducerConfig(producer)
                .build()).name("Kafka " + outputTopic);
    }
}
