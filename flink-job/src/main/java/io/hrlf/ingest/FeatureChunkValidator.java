package io.hrlf.ingest;

import io.hrlf.avro.FeatureChunk;
import io.hrlf.contract.Modality;
import io.hrlf.contract.ParticipantKey;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Decides whether a decoded chunk can safely enter the windows. Everything it refuses goes to the
 * dead-letter topic with the returned reason, so one misbehaving extractor cannot poison the model
 * input of a call or stop the job.
 */
public final class FeatureChunkValidator implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What {@link #validate} decided: a {@link ValidatedChunk} or a {@link Rejection}. */
    public sealed interface Result permits ValidatedChunk, Rejection {}

    /** A refusal: a stable reason code and a human-readable detail. */
    public record Rejection(RejectReason reason, String detail) implements Result {}

    private final int[] dims;
    private final int maxIdLength;
    private final int maxFramesPerChunk;
    private final long maxFutureSkewMillis;
    private final Clock clock;

    /**
     * @param dims the model's d_m in {@link Modality#ALL} order
     * @param maxFutureSkew how far past the wall clock a frame may end: one frame from a producer whose
     *     clock is a year ahead would otherwise drag its partition's watermark a year forward and make
     *     every later frame of every call on that partition late
     */
    public FeatureChunkValidator(int[] dims, int maxIdLength, int maxFramesPerChunk, Duration maxFutureSkew,
                                 Clock clock) {
        this.dims = dims.clone();
        this.maxIdLength = maxIdLength;
        this.maxFramesPerChunk = maxFramesPerChunk;
        this.maxFutureSkewMillis = maxFutureSkew.toMillis();
        this.clock = clock;
    }

    /** @return the chunk, validated, when it is valid for a topic carrying {@code topicModality}, or why not */
    public Result validate(FeatureChunk chunk, Modality topicModality) {
        Rejection rejection = problem(chunk, topicModality);
        return rejection == null ? new ValidatedChunk(chunk) : rejection;
    }

    private Rejection problem(FeatureChunk chunk, Modality topicModality) {
        Rejection idProblem = checkId("callId", chunk.getCallId());
        if (idProblem == null) {
            idProblem = checkId("participantId", chunk.getParticipantId());
        }
        if (idProblem != null) {
            return idProblem;
        }
        if (chunk.getModality() == io.hrlf.avro.Modality.UNKNOWN) {
            return new Rejection(RejectReason.UNKNOWN_MODALITY, "modality symbol unknown to this release");
        }
        Modality modality = Modality.valueOf(chunk.getModality().name());
        if (modality != topicModality) {
            return new Rejection(RejectReason.MODALITY_MISMATCH,
                    "record says " + modality.inputName() + " but its topic carries " + topicModality.inputName());
        }
        int d = dims[modality.ordinal()];
        if (chunk.getDimension() != d) {
            return new Rejection(RejectReason.DIMENSION_MISMATCH,
                    modality.inputName() + " frames have d=" + chunk.getDimension() + ", the model expects d=" + d);
        }
        List<Long> starts = chunk.getFrameStartMillis();
        List<Long> ends = chunk.getFrameEndMillis();
        int frames = starts.size();
        if (frames == 0) {
            return new Rejection(RejectReason.EMPTY_CHUNK, "no frames");
        }
        if (frames > maxFramesPerChunk) {
            return new Rejection(RejectReason.CHUNK_TOO_LARGE,
                    frames + " frames, at most " + maxFramesPerChunk + " per record");
        }
        if (ends.size() != frames || chunk.getValues().size() != (long) frames * d) {
            return new Rejection(RejectReason.FRAME_COUNT_MISMATCH, frames + " starts, " + ends.size() + " ends, "
                    + chunk.getValues().size() + " values for d=" + d);
        }
        long latestAllowedEnd = clock.millis() + maxFutureSkewMillis;
        for (int f = 0; f < frames; f++) {
            long start = starts.get(f);
            long end = ends.get(f);
            if (start < 0 || end < start) {
                return new Rejection(RejectReason.INVALID_FRAME_TIME,
                        "frame " + f + " spans [" + start + ", " + end + ")");
            }
            if (end > latestAllowedEnd) {
                return new Rejection(RejectReason.FRAME_TIME_IN_FUTURE, "frame " + f + " ends at " + end + ", "
                        + (end - clock.millis()) + " ms after this task's clock (at most " + maxFutureSkewMillis + ")");
            }
        }
        List<Float> values = chunk.getValues();
        for (int i = 0; i < values.size(); i++) {
            if (!Float.isFinite(values.get(i))) {
                return new Rejection(RejectReason.NON_FINITE_VALUE,
                        "value " + values.get(i) + " in frame " + (i / d) + ", feature " + (i % d));
            }
        }
        return null;
    }

    private Rejection checkId(String field, String id) {
        if (id == null || id.isBlank()) {
            return new Rejection(RejectReason.MISSING_ID, field + " is blank");
        }
        if (id.length() > maxIdLength) {
            return new Rejection(RejectReason.INVALID_ID,
                    field + " has " + id.length() + " characters, at most " + maxIdLength);
        }
        String keyProblem = ParticipantKey.idProblem(field, id);
        return keyProblem == null ? null : new Rejection(RejectReason.INVALID_ID, keyProblem);
    }
}
