package io.hrlf.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.hrlf.contract.ContextSpec;
import io.hrlf.contract.Modality;
import io.hrlf.contract.ModelContractException;
import io.hrlf.contract.ModelMetadata;
import io.hrlf.model.testing.TinyContractModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serving path of a model with context, on the test kit's tiny context model. */
class ContextModelTest {
    private static final int STEPS = 4;
    private static final int[] DIMS = {5, 3, 2};
    private static final int K = 3;
    private static final int DC = 4;

    @TempDir
    Path tmp;

    @Test
    void scoresEachRowWithItsOwnContextAndReturnsItsRepresentation() throws Exception {
        Path dir = tmp.resolve("context-model");
        TinyContractModel.exportWithContext(dir, STEPS, DIMS, K, DC, "tiny-ctx");
        Random random = new Random(11);
        int batch = 5;
        ModelInput input = new ModelInput(batch, STEPS, DIMS);
        double[] windowTerms = new double[batch];
        for (int row = 0; row < batch; row++) {
            float[][] values = new float[3][];
            float[][] masks = new float[3][];
            for (Modality m : Modality.ALL) {
                int d = DIMS[m.ordinal()];
                values[m.ordinal()] = new float[STEPS * d];
                masks[m.ordinal()] = new float[STEPS];
                boolean present = !(row == 1 && m == Modality.VISION);
                for (int t = 0; present && t < STEPS; t++) {
                    masks[m.ordinal()][t] = 1f;
                    for (int j = 0; j < d; j++) {
                        values[m.ordinal()][t * d + j] = (float) random.nextGaussian() * 0.4f;
                    }
                }
                input.setRow(row, m, values[m.ordinal()], masks[m.ordinal()]);
            }
            windowTerms[row] = TinyContractModel.windowTerm(STEPS, DIMS, values, masks);
        }
        // rows with 0, 1, 2, 3 and 4 (more than K: the oldest is dropped) earlier representations
        ContextBatch context = new ContextBatch(batch, K, DC);
        List<List<float[]>> earlier = new ArrayList<>();
        for (int row = 0; row < batch; row++) {
            List<float[]> reps = new ArrayList<>();
            for (int i = 0; i < row; i++) {
                reps.add(TinyContractModel.expectedRepresentation(0.3 * (i + 1) - 0.5 * row, DC));
            }
            earlier.add(reps);
            context.setRow(row, reps);
        }

        try (SentimentModel model = SentimentModel.load(dir, STEPS, DIMS)) {
            assertThat(model.hasContext()).isTrue();
            assertThat(model.context()).contains(ContextSpec.of(K, DC));
            ContextScores out = model.predict(input, context);
            for (int row = 0; row < batch; row++) {
                float expected = TinyContractModel.expectedContextScore(windowTerms[row], earlier.get(row), K);
                assertThat(out.scores()[row]).as("score of row %d", row).isCloseTo(expected, within(1e-5f));
                assertThat(out.representation(row)).as("representation of row %d", row)
                        .containsExactly(TinyContractModel.expectedRepresentation(windowTerms[row], DC), within(1e-5f));
            }
            // the context changes the score: the same windows with no context score as the plain formula
            ContextScores alone = model.predict(input, new ContextBatch(batch, K, DC));
            assertThat(alone.scores()[0]).isEqualTo(out.scores()[0]); // row 0 had no context anyway
            for (int row = 1; row < batch; row++) {
                assertThat(alone.scores()[row]).as("row %d without context", row)
                        .isCloseTo((float) (3 * Math.tanh(windowTerms[row])), within(1e-5f))
                        .isNotCloseTo(out.scores()[row], within(1e-3f));
            }
            assertThatThrownBy(() -> model.predict(input)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("reads context");
            assertThatThrownBy(() -> model.predict(input, new ContextBatch(batch, K + 1, DC)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model expects");
        }
    }

    @Test
    void contextSlotsAreRightAlignedOldestFirst() {
        ContextBatch context = new ContextBatch(2, 3, 2);
        context.setRow(0, List.of(new float[] {1, 2}));
        context.setRow(1, List.of(new float[] {1, 1}, new float[] {2, 2}, new float[] {3, 3}, new float[] {4, 4}));
        assertThat(context.mask()).containsExactly(0, 0, 1, /* row 1 */ 1, 1, 1);
        assertThat(context.values()).containsExactly(0, 0, 0, 0, 1, 2, /* row 1, newest three */ 2, 2, 3, 3, 4, 4);
    }

    @Test
    void aModelWithoutContextKeepsItsPathAndRefusesContext() throws Exception {
        Path dir = tmp.resolve("plain");
        ModelMetadata metadata = TinyContractModel.export(dir, STEPS, DIMS, "tiny-plain");
        assertThat(metadata.formatVersion()).isEqualTo(ModelMetadata.FORMAT_VERSION);
        try (SentimentModel model = SentimentModel.load(dir, STEPS, DIMS)) {
            assertThat(model.hasContext()).isFalse();
            assertThat(model.context()).isEmpty();
            assertThat(model.predict(new ModelInput(2, STEPS, DIMS))).containsExactly(0f, 0f);
            assertThatThrownBy(() -> model.predict(new ModelInput(1, STEPS, DIMS), new ContextBatch(1, K, DC)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("has no context");
        }
    }

    @Test
    void metadataAndSignatureMustAgreeOnContext() throws Exception {
        // metadata declaring context beside a SavedModel without the context inputs
        Path plain = tmp.resolve("plain");
        ModelMetadata metadata = TinyContractModel.export(plain, STEPS, DIMS, "tiny-plain");
        metadata.withContext(ContextSpec.of(K, DC)).write(plain);
        assertThatThrownBy(() -> SentimentModel.load(plain)).isInstanceOf(ModelContractException.class)
                .hasMessageContaining("no input 'context'").hasMessageContaining("no input 'context_mask'")
                .hasMessageContaining("no output 'representation'");
        // a context SavedModel whose metadata says K or d_c wrongly
        Path wrongK = tmp.resolve("wrong-k");
        ModelMetadata context = TinyContractModel.exportWithContext(wrongK, STEPS, DIMS, K, DC, "tiny-ctx");
        new ModelMetadata(context.formatVersion(), "v", "x", 0, STEPS, context.dimensions(), null, null, null, null,
                null, ContextSpec.of(K + 1, DC)).write(wrongK);
        assertThatThrownBy(() -> SentimentModel.load(wrongK)).isInstanceOf(ModelContractException.class)
                .hasMessageContaining("'context' has shape [-1, 3, 4], metadata implies [-1, 4, 4]");
        // a context SavedModel exported with format-1 metadata (no context declared)
        Path undeclared = tmp.resolve("undeclared");
        TinyContractModel.exportWithContext(undeclared, STEPS, DIMS, K, DC, "tiny-ctx");
        metadata.write(undeclared);
        assertThatThrownBy(() -> SentimentModel.load(undeclared)).isInstanceOf(ModelContractException.class)
                .hasMessageContaining("metadata declares no context");
    }
}
