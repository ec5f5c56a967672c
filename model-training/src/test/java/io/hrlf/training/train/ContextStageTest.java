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

    @Test
    void theContextStageMovesOnlyTheContextHeads() {
        MultimodalDataset train = SyntheticDataset.generate(200, STEPS, DIMS, 1);
        MultimodalDataset probe = SyntheticDataset.generate(150, STEPS, DIMS, 2);
        TrainingOptions options = TrainingOptions.defaults().withEpochs(1).withModelDim(8).withContext(3, 8);
        TrainingData data = new TrainingData(train, null, null);
        try (TrainedModel before = HrlfTrainer.train(data, options.withContextEpochs(0), TrainingListener.SILENT);
             TrainedModel after = HrlfTrainer.train(data, options.withContextEpochs(2), TrainingListener.SILENT)) {
            MultimodalDataset alone = Participants.eachRowAlone(probe);
            assertThat(after.predict(alone)).as("scores without context after the context stage")
                    .containsExactly(before.predict(alone));

            float[] withContextBefore = before.predict(probe);
            float[] withContextAfter = after.predict(probe);
            int moved = 0;
            for (int row = 0; row < probe.size(); row++) {
                moved += Math.abs(withContextAfter[row] - withContextBefore[row]) > 1e-4f ? 1 : 0;
            }
            assertThat(moved).as("rows whose score with context the stage changed").isGreaterThan(probe.size() / 2);
        }
    }

    @Test
    void theContextNoiseReachesTheContextStageOnly() {
        MultimodalDataset train = SyntheticDataset.generate(200, STEPS, DIMS, 1);
        MultimodalDataset probe = SyntheticDataset.generate(150, STEPS, DIMS, 2);
        TrainingOptions options = TrainingOptions.defaults().withEpochs(1).withModelDim(8).withContext(3, 8)
                .withContextEpochs(2);
        TrainingData data = new TrainingData(train, null, null);
        // without dropout, the noise op a run with context noise adds leaves the earlier stages' arithmetic as it was
        try (TrainedModel quiet = HrlfTrainer.train(data, options.withContextNoise(0f), TrainingListener.SILENT);
             TrainedModel noisy = HrlfTrainer.train(data, options.withContextNoise(4f), TrainingListener.SILENT)) {
            MultimodalDataset alone = Participants.eachRowAlone(probe);
            assertThat(noisy.predict(alone)).as("scores without context: the noise left the rest of the model alone")
                    .containsExactly(quiet.predict(alone));
            assertThat(noisy.predict(probe)).as("scores with context: the context heads learned under the noise")
                    .isNotEqualTo(quiet.predict(probe));
        }
    }
}
