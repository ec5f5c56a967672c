package io.hrlf.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.hrlf.contract.Modality;
import io.hrlf.contract.ModelContractException;
import io.hrlf.contract.ModelMetadata;
import io.hrlf.contract.TensorContract;
import io.hrlf.model.testing.TinyContractModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SentimentModelTest {
    private static final int STEPS = 4;
    private static final int[] DIMS = {5, 3, 2};

    @TempDir
    Path tmp;

    @Test
    void scoresEveryRowThroughTheServingSignature() throws Exception {
        Path dir = tmp.resolve("model");
        TinyContractModel.export(dir, STEPS, DIMS, "tiny-1");
        Random random = new Random(7);
        int batch = 6;
        float[][][] rowValues = new float[batch][3][];
        float[][][] rowMasks = new float[batch][3][];
        ModelInput input = new ModelInput(batch, STEPS, DIMS);
        for (int row = 0; row < batch; row++) {
            for (Modality m : Modality.ALL) {
                int d = DIMS[m.ordinal()];
                float[] values = new float[STEPS * d];
                float[] mask = new float[STEPS];
                for (int t = 0; t < STEPS; t++) {
                    // row 2 misses audio entirely; other rows miss a step now and then
                    boolean observed = !(row == 2 && m == Modality.AUDIO) && random.nextFloat() > 0.2f;
                    mask[t] = observed ? 1f : 0f;
                    for (int j = 0; observed && j < d; j++) {
                        values[t * d + j] = (float) random.nextGaussian() * 0.5f;
                    }
                }
                rowValues[row][m.ordinal()] = values;
                rowMasks[row][m.ordinal()] = mask;
                input.setRow(row, m, values, mask);
            }
        }

        try (SentimentModel model = SentimentModel.load(dir, STEPS, DIMS)) {
            assertThat(model.metadata().modelVersion()).isEqualTo("tiny-1");
            float[] scores = model.predict(input);
            assertThat(scores).hasSize(batch);
            for (int row = 0; row < batch; row++) {
                float expected = TinyContractModel.expectedScore(STEPS, DIMS, rowValues[row], rowMasks[row]);
                assertThat(scores[row]).as("row %d", row).isCloseTo(expected, within(1e-5f));
            }
            assertThat(scores).doesNotHaveDuplicates();
        }
    }

    @Test
    void refusesAModelThatDoesNotMatchTheConfiguration() throws Exception {
        Path dir = tmp.resolve("model");
        TinyContractModel.export(dir, STEPS, DIMS, "tiny-1");
        assertThatThrownBy(() -> SentimentModel.load(dir, STEPS + 1, DIMS))
                .isInstanceOf(ModelContractException.class)
                .hasMessageContaining("T=" + STEPS).hasMessageContaining(dir.toString());
        assertThatThrownBy(() -> SentimentModel.load(dir, STEPS, new int[] {5, 74, 2}))
                .isInstanceOf(ModelContractException.class).hasMessageContaining("audio");
    }

    @Test
    void refusesMissingDirectoryMetadataAndSavedModel() throws Exception {
        assertThatThrownBy(() -> SentimentModel.load(tmp.resolve("nowhere")))
                .isInstanceOf(ModelContractException.class).hasMessageContaining("does not exist");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> SentimentModel.load(empty))
                .isInstanceOf(ModelContractException.class).hasMessageContaining(TensorContract.METADATA_FILE);
        Path onlyMetadata = tmp.resolve("only-metadata");
        ModelMetadata metadata = TinyContractModel.export(tmp.resolve("real"), STEPS, DIMS, "v");
        metadata.write(onlyMetadata);
        assertThatThrownBy(() -> SentimentModel.load(onlyMetadata))
                .isInstanceOf(ModelContractException.class).hasMessageContaining("saved_model.pb");
        Path corrupt = tmp.resolve("corrupt");
        metadata.write(corrupt);
        Files.write(corrupt.resolve("saved_model.pb"), new byte[] {1, 2, 3, 4});
        assertThatThrownBy(() -> SentimentModel.load(corrupt))
                .isInstanceOf(ModelContractException.class).hasMessageContaining("cannot load");
    }

    @Test
    void sharedModelIsLoadedOnceAndClosedWithItsLastLease() throws Exception {
        Path dir = tmp.resolve("model");
        TinyContractModel.export(dir, STEPS, DIMS, "tiny-1");
        SharedModels.Lease first = SharedModels.acquire(dir, STEPS, DIMS);
        SharedModels.Lease second = SharedModels.acquire(dir, STEPS, DIMS);
        assertThat(first.model()).isSameAs(second.model());
        assertThat(SharedModels.users(dir)).isEqualTo(2);
        first.close();
        first.close(); // idempotent
        assertThat(SharedModels.users(dir)).isEqualTo(1);
        assertThat(second.model().predict(new ModelInput(1, STEPS, DIMS))).containsExactly(0f);
        second.close();
        assertThat(SharedModels.users(dir)).isZero();
        assertThatThrownBy(second::model).isInstanceOf(IllegalStateException.class);
    }
}
