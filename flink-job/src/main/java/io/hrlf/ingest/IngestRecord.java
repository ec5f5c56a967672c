package io.hrlf.ingest;

/**
 * What the Kafka source emits for every input record: either a valid chunk, or the refused record's
 * original bytes, where it came from and why it was refused. Nothing read from Kafka is dropped
 * without one of the two. A Flink POJO.
 */
public class IngestRecord {
    /** The valid chunk; null when refused. */
    public ValidatedChunk chunk;
    /** The topic's modality name (text, audio, vision). */
    public String modality;

    // set only on a refused record
    public String topic;
    public int partition;
    public long offset;
    public byte[] key;
    public byte[] value;
    public String reason;
    public String detail;

    public IngestRecord() {}

    public static IngestRecord accepted(ValidatedChunk chunk, String modality) {
        IngestRecord record = new IngestRecord();
        record.chunk = chunk;
        record.modality = modality;
        return record;
    }

    public static IngestRecord refused(String modality, String topic, int partition, long offset, byte[] key,
                                       byte[] value, RejectReason reason, String detail) {
        IngestRecord record = new IngestRecord();
        record.modality = modality;
        record.topic = topic;
        record.partition = partition;
        record.offset = offset;
        record.key = key;
        record.value = value;
        record.reason = reason.name();
        record.detail = detail;
        return record;
    }

    public boolean isAccepted() {
        return chunk != null;
    }

    /** Event time of an accepted chunk: the end of its last frame. */
    public long eventTime() {
        return chunk.eventTime();
    }
}
