package io.hrlf.training.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.training.data.Participants;
import io.hrlf.training.data.SyntheticDataset;
import org.junit.jupiter.api.Test;

/**
 * The context stage trains the context heads and nothing else: a window scored without context (each row its own
 * participant) gets exactly the score it had before the stage, while with context the scores move.
 */
class ContextStageTest {
    private static final int STEPS = 4;
    private static final int[] DIMS = {6, 4, 5};
    private static final TrainingData DATA =
            new TrainingData(SyntheticDataset.generate(200, STEPS, DIMS, 1), null, null);
    /** Rows in videos (each scored with its predecessors' context) and {@link #ALONE}, each row its own participant. */
    private static final MultimodalDataset PROBE = SyntheticDataset.generate(150, STEPS, DIMS, 2);
    private static final MultimodalDataset ALONE = Participants.eachRowAlone(PROBE);
    private static final TrainingOptions OPTIONS = TrainingOptions.defaults().withEpochs(1).withModelDim(8)
            .withContext(3, 8);

    @Test
    void theContextStageMovesOnlyTheContextHeads() {
        try (TrainedModel before = HrlfTrainer.train(DATA, OPTIONS.withContextEpochs(0), TrainingListener.SILENT);
             TrainedModel after = HrlfTrainer.train(DATA, OPTIONS.withContextEpochs(2), TrainingListener.SILENT)) {
            assertThat(after.predict(ALONE)).as("scores without context after the context stage")
                    .containsExactly(before.predict(ALONE));

            float[] withContextBefore = before.predict(PROBE);
            float[] withContextAfter = after.predict(PROBE);
            int moved = 0;
            for (int row = 0; row < PROBE.size(); row++) {
                moved += Math.abs(withContextAfter[row] - withContextBefore[row]) > 1e-4f ? 1 : 0;
            }
            assertThat(moved).as("rows whose score with context the stage changed").isGreaterThan(PROBE.size() / 2);
        }
    }

    @Test
    void theContextNoiseReachesTheContextStageOnly() {
        TrainingOptions options = OPTIONS.withContextEpochs(2);
        // without dropout, the noise op a run with context noise adds leaves the earlier stages' arithmetic as it was
        try (TrainedModel quiet = HrlfTrainer.train(DATA, options.withContextNoise(0f), TrainingListener.SILENT);
             TrainedModel noisy = HrlfTrainer.train(DATA, options.withContextNoise(4f), TrainingListener.SILENT)) {
            assertThat(noisy.predict(ALONE)).as("scores without context: the noise left the rest of the model alone")
                    .containsExactly(quiet.predict(ALONE));
            assertThat(noisy.predict(PROBE)).as("scores with context: the context heads learned under the noise")
                    .isNotEqualTo(quiet.predict(PROBE));
        }
    }
}
