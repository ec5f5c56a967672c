package io.hrlf.training.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hrlf.contract.Modality;
import io.hrlf.model.SentimentModel;
import io.hrlf.model.testing.TinyContractModel;
import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.training.data.SyntheticDataset;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serving-path predictor scores every row, in order, across batch boundaries, as the model defines. */
class SavedModelPredictorTest {
    private static final int STEPS = 4;
    private static final int[] DIMS = {3, 2, 2};

    @Test
    void scoresEveryRowThroughTheServingModelAcrossBatches(@TempDir Path dir) throws Exception {
        TinyContractModel.export(dir, STEPS, DIMS, "tiny-1");
        MultimodalDataset data = SyntheticDataset.generate(10, STEPS, DIMS, 7L);

        float[] scores;
        try (SentimentModel model = SentimentModel.load(dir, STEPS, DIMS)) {
            scores = new SavedModelPredictor(model, 3).predict(data);
        }

        assertThat(scores).hasSize(10);
        for (int row = 0; row < 10; row++) {
            float[][] values = new float[3][];
            float[][] masks = new float[3][];
            for (Modality m : Modality.ALL) {
                int d = DIMS[m.ordinal()];
                values[m.ordinal()] = Arrays.copyOfRange(data.values(m), row * STEPS * d, (row + 1) * STEPS * d);
                masks[m.ordinal()] = Arrays.copyOfRange(data.masks(m), row * STEPS, (row + 1) * STEPS);
            }
            assertThat(scores[row]).as("row %d", row)
                    .isCloseTo(TinyContractModel.expectedScore(STEPS, DIMS, values, masks), within(1e-4f));
        }
    }
}
