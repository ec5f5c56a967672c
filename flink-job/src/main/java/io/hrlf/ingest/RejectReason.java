package io.hrlf.ingest;

/** Why an input record went to the dead-letter topic. The names are stable: dashboards and alerts use them. */
public enum RejectReason {
    /** Not Avro single-object encoding of a FeatureChunk (truncated, random, empty bytes). */
    DECODE_ERROR,
    /** A well-formed header naming a writer schema this release does not know. */
    UNKNOWN_SCHEMA,
    /** Blank call or participant id. */
    MISSING_ID,
    /** Call or participant id longer than the configured maximum, or containing '/'. */
    INVALID_ID,
    /** A modality symbol this release does not know. */
    UNKNOWN_MODALITY,
    /** The record's modality is not the one its topic carries. */
    MODALITY_MISMATCH,
    /** The declared dimension differs from the model's d for the modality. */
    DIMENSION_MISMATCH,
    /** Frame start, end and value arrays disagree in length. */
    FRAME_COUNT_MISMATCH,
    /** No frames at all. */
    EMPTY_CHUNK,
    /** More frames than the configured maximum per record. */
    CHUNK_TOO_LARGE,
    /** A frame ends before it starts, or has a negative time. */
    INVALID_FRAME_TIME,
    /** NaN or infinite feature value. */
    NON_FINITE_VALUE,
    /** A frame time further in the future than the configured clock skew allows. */
    FRAME_TIME_IN_FUTURE,
    /** A chunk whose sequence number was already accepted for its participant and modality (a producer retry). */
    DUPLICATE_SEQUENCE,
    /**
     * Not an input record: a window the model could not score after every retry, alone in its batch.
     * The dead letter carries the window as JSON instead of original bytes.
     */
    INFERENCE_FAILED,
    /**
     * Not an input record: a window the scorer did not answer within {@code hrlf.scoring.async-timeout}
     * (a hung TensorFlow call). The dead letter carries the window as JSON instead of original bytes.
     */
    SCORING_TIMED_OUT
}
