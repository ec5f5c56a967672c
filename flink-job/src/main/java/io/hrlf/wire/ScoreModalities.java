package io.hrlf.wire;

import io.hrlf.avro.ModalityPresence;
import io.hrlf.avro.SentimentScore;
import io.hrlf.contract.MissingPattern;
import io.hrlf.contract.Modality;
import java.util.ArrayList;
import java.util.List;

/**
 * The one mapping between the contract's {@link Modality}/{@link MissingPattern} and the Avro
 * records: the {@code modality} enum symbol, and a score's {@code modalities} and
 * {@code missingPattern} fields.
 */
public final class ScoreModalities {
    private ScoreModalities() {}

    /** The contract modality of an Avro symbol; fails on {@code UNKNOWN} (the validator refuses it first). */
    public static Modality fromAvro(io.hrlf.avro.Modality modality) {
        if (modality == null || modality == io.hrlf.avro.Modality.UNKNOWN) {
            throw new IllegalArgumentException("modality symbol " + modality + " has no contract modality");
        }
        return Modality.valueOf(modality.name());
    }

    public static io.hrlf.avro.Modality toAvro(Modality modality) {
        return io.hrlf.avro.Modality.valueOf(modality.name());
    }

    /**
     * Sets a score's {@code modalities} (one entry per modality, in contract order) and
     * {@code missingPattern}, both from {@code pattern}.
     *
     * @param completeness observed steps / T per modality, in {@link Modality#ALL} order
     * @param frames frames per modality, in {@link Modality#ALL} order
     */
    public static SentimentScore.Builder setPresence(SentimentScore.Builder score, MissingPattern pattern,
                                                     float[] completeness, int[] frames) {
        List<ModalityPresence> presence = new ArrayList<>(Modality.ALL.size());
        for (Modality m : Modality.ALL) {
            presence.add(new ModalityPresence(toAvro(m), pattern.isPresent(m), completeness[m.ordinal()],
                    frames[m.ordinal()]));
        }
        return score.setModalities(presence).setMissingPattern(pattern.code());
    }

    /** The pattern a score was computed from, read from its {@code missingPattern} field. */
    public static MissingPattern pattern(SentimentScore score) {
        return MissingPattern.parseCode(score.getMissingPattern());
    }
}
