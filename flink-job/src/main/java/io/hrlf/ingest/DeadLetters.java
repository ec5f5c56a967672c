package io.hrlf.ingest;

import io.hrlf.avro.DeadLetter;
import io.hrlf.contract.ParticipantKey;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * Builds every dead letter of the job, so each carries the same fields the same way: the record a
 * source refused (its original key, bytes, topic, partition and offset), or something an operator
 * refused after the source (a re-delivered chunk, a window the model could not score), which has no
 * Kafka position and names the operator as its source.
 */
public final class DeadLetters {
    /** Partition and offset of a dead letter that did not come straight from a Kafka record. */
    public static final int NO_PARTITION = -1;
    public static final long NO_OFFSET = -1;

    private DeadLetters() {}

    /** An input record a source refused, with its original key and value bytes (either may be null). */
    public static DeadLetter refusedRecord(String topic, int partition, long offset, byte[] key, byte[] value,
                                           RejectReason reason, String detail) {
        return build(topic, partition, offset, key, value, reason, detail);
    }

    /**
     * Something an operator refused after the sources.
     *
     * @param operator the refusing operator's name, written as {@code sourceTopic}
     * @param value what the operator refused, encoded so that it can be replayed or inspected offline
     */
    public static DeadLetter refusedByOperator(String operator, ParticipantKey key, byte[] value, RejectReason reason,
                                               String detail) {
        return build(operator, NO_PARTITION, NO_OFFSET, key.toBytes(), value, reason, detail);
    }

    private static DeadLetter build(String source, int partition, long offset, byte[] key, byte[] value,
                                    RejectReason reason, String detail) {
        return DeadLetter.newBuilder()
                .setSourceTopic(source)
                .setPartition(partition)
                .setOffset(offset)
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .setReason(reason.name())
                .setDetail(detail)
                .setRejectedAtMillis(Instant.now())
                .build();
    }
}
