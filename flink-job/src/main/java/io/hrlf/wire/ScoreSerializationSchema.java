package io.hrlf.wire;

import io.hrlf.avro.SentimentScore;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Scores to the score topic, keyed by callId/participantId so a participant's scores stay in order. */
public class ScoreSerializationSchema implements KafkaRecordSerializationSchema<SentimentScore> {
    private static final long serialVersionUID = 1L;
    private final String topic;

    public ScoreSerializationSchema(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(SentimentScore score, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, score.getWindowEndMillis().toEpochMilli(),
                WireFormat.participantKey(score.getCallId(), score.getParticipantId()), WireFormat.encode(score));
    }
}
