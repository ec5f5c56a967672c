package io.hrlf.ingest;

import io.hrlf.avro.FeatureChunk;
import io.hrlf.contract.Modality;
import io.hrlf.contract.ParticipantKey;
import io.hrlf.wire.ScoreModalities;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A feature chunk {@link FeatureChunkValidator} accepted: known modality, ids that form a
 * {@link ParticipantKey}, d_m values per frame, no frame ending before it starts, finite values.
 * Only the validator creates one (the constructor is package-private; {@link ValidatedChunkSerializer}
 * only recreates, on the far side of a shuffle, one the validator made), so code downstream, such as
 * the window assembler, takes the shape for granted instead of checking it again.
 */
@TypeInfo(ValidatedChunkTypeInfo.Factory.class)
public final class ValidatedChunk implements FeatureChunkValidator.Result {
    private final FeatureChunk chunk;
    private final Modality modality;

    ValidatedChunk(FeatureChunk chunk) {
        this.chunk = chunk;
        this.modality = ScoreModalities.fromAvro(chunk.getModality());
    }

    /** The chunk as decoded; do not change it (the operators downstream share it). */
    public FeatureChunk chunk() {
        return chunk;
    }

    public Modality modality() {
        return modality;
    }

    public ParticipantKey participantKey() {
        return new ParticipantKey(chunk.getCallId(), chunk.getParticipantId());
    }

    /** The job's key of the chunk's participant ({@link ParticipantKey#toString()}), for {@code keyBy}. */
    public String participantKeyString() {
        return participantKey().toString();
    }

    /** Event time of the chunk: the end of its last frame. */
    public long eventTime() {
        long latest = Long.MIN_VALUE;
        for (long end : chunk.getFrameEndMillis()) {
            latest = Math.max(latest, end);
        }
        return latest;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValidatedChunk other && chunk.equals(other.chunk);
    }

    @Override
    public int hashCode() {
        return chunk.hashCode();
    }

    @Override
    public String toString() {
        return "ValidatedChunk{" + modality.inputName() + " #" + chunk.getSequenceNumber() + " of " + participantKey()
                + ", " + chunk.getFrameStartMillis().size() + " frames}";
    }
}
