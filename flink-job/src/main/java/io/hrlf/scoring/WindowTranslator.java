package io.hrlf.scoring;

import io.hrlf.avro.Polarity;
import io.hrlf.avro.SentimentScore;
import io.hrlf.contract.Modality;
import io.hrlf.eval.SentimentMetrics;
import io.hrlf.model.ModelInput;
import io.hrlf.window.AssembledWindow;
import io.hrlf.wire.ScoreModalities;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * The scorer's translation between the stream and the model, apart from batching ({@link MicroBatcher})
 * and inference ({@code SentimentModel}), as DJL splits Translator, Batchifier and Predictor: a batch of
 * windows becomes the tensor contract's {@link ModelInput}, and each row of the model's output becomes
 * a {@link SentimentScore} (clipped to the score range, with polarity, modality presence and missing
 * pattern). Public so that benchmarks build their model input the way the scorer does.
 */
public final class WindowTranslator implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int steps;
    private final int[] dims;
    private final float neutralBand;

    /**
     * @param dims d_m in {@link Modality#ALL} order
     * @param neutralBand scores in [-band, band] get polarity NEUTRAL
     */
    public WindowTranslator(int steps, int[] dims, float neutralBand) {
        this.steps = steps;
        this.dims = dims.clone();
        this.neutralBand = neutralBand;
    }

    /** One row per window, in order: each modality's T x d_m values and T mask entries. */
    public ModelInput toModelInput(List<AssembledWindow> windows) {
        ModelInput input = new ModelInput(windows.size(), steps, dims);
        for (int row = 0; row < windows.size(); row++) {
            AssembledWindow window = windows.get(row);
            for (Modality m : Modality.ALL) {
                input.setRow(row, m, window.values[m.ordinal()], window.masks[m.ordinal()]);
            }
        }
        return input;
    }

    /** Fails, naming the window, when the model returned a score that is not a number for any row. */
    public void requireUsableOutput(List<AssembledWindow> windows, float[] scores, String modelVersion) {
        for (int row = 0; row < windows.size(); row++) {
            if (!Float.isFinite(scores[row])) {
                throw new ScoringException("model " + modelVersion + " returned " + scores[row] + " for "
                        + windows.get(row));
            }
        }
    }

    /** The score record of one window from the model's raw output for it. */
    public SentimentScore toScore(AssembledWindow window, float rawScore, String modelVersion, long emittedAtMillis) {
        float score = SentimentMetrics.clipScore(rawScore);
        int polarity = SentimentMetrics.polarity(score, neutralBand);
        SentimentScore.Builder builder = SentimentScore.newBuilder()
                .setCallId(window.callId)
                .setParticipantId(window.participantId)
                .setWindowStartMillis(Instant.ofEpochMilli(window.windowStartMillis))
                .setWindowEndMillis(Instant.ofEpochMilli(window.windowEndMillis))
                .setScore(score)
                .setPolarity(polarity > 0 ? Polarity.POSITIVE : polarity < 0 ? Polarity.NEGATIVE : Polarity.NEUTRAL)
                .setModelVersion(modelVersion)
                .setRevision(window.revision)
                .setEmitTimestampMillis(Instant.ofEpochMilli(emittedAtMillis));
        return ScoreModalities.setPresence(builder, window.missingPattern(), window.completeness, window.frames)
                .build();
    }
}
