package io.hrlf.training.missing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hrlf.contract.Modality;
import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.training.data.SyntheticDataset;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MissingnessProtocolTest {
    private static final int STEPS = 10;
    private static final int[] DIMS = {3, 2, 2};

    @Test
    void trainingMissingnessFollowsItsDistributionAndKeepsAModality() {
        int n = 4000;
        MultimodalDataset data = SyntheticDataset.generate(n, STEPS, DIMS, 3);
        float[][] values = data.copyValues();
        float[][] masks = data.copyMasks();
        new MissingnessProtocol(new MissingnessOptions(0.4, 0.5, true))
                .applyInPlace(values, masks, n, STEPS, DIMS, new Random(9));
        int[] modalityGone = new int[3];
        long observedSteps = 0;
        long presentModalitySteps = 0;
        for (int row = 0; row < n; row++) {
            int present = 0;
            for (Modality m : Modality.ALL) {
                int observed = 0;
                for (int t = 0; t < STEPS; t++) {
                    int step = row * STEPS + t;
                    float mask = masks[m.ordinal()][step];
                    if (mask == 0f) {
                        for (int j = 0; j < DIMS[m.ordinal()]; j++) {
                            assertThat(values[m.ordinal()][step * DIMS[m.ordinal()] + j]).isZero();
                        }
                    }
                    observed += (int) mask;
                }
                if (observed == 0) {
                    modalityGone[m.ordinal()]++;
                } else {
                    present++;
                    observedSteps += observed;
                    presentModalitySteps += STEPS;
                }
            }
            assertThat(present).as("row %d keeps a modality", row).isPositive();
        }
        for (Modality m : Modality.ALL) {
            // P(dropped) = 0.4, lowered by the keep-one rule, which restores one of three when all drop: 0.4 - 0.4^3/3
            assertThat(modalityGone[m.ordinal()] / (double) n).isCloseTo(0.4 - 0.064 / 3, within(0.03));
        }
        // kept modalities lose p ~ U(0, 0.5) of their steps: 25% on average
        assertThat(1 - observedSteps / (double) presentModalitySteps).isCloseTo(0.25, within(0.03));
    }

    @Test
    void evaluationFormsDropExactlyWhatTheyName() {
        MultimodalDataset data = SyntheticDataset.generate(50, STEPS, DIMS, 4);
        float[][] values = data.copyValues();
        float[][] masks = data.copyMasks();
        MissingnessProtocol.dropModalities(values, masks, 50, STEPS, DIMS, new boolean[] {true, false, true});
        assertThat(masks[Modality.AUDIO.ordinal()]).containsOnly(0f);
        assertThat(values[Modality.AUDIO.ordinal()]).containsOnly(0f);
        assertThat(masks[Modality.TEXT.ordinal()]).containsOnly(1f);

        float[][] v2 = data.copyValues();
        float[][] m2 = data.copyMasks();
        MissingnessProtocol.dropFrames(v2, m2, 50, STEPS, DIMS, 0.3, new Random(1));
        double dropped = 0;
        for (float[] mask : m2) {
            for (float x : mask) {
                dropped += 1 - x;
            }
        }
        assertThat(dropped / (3.0 * 50 * STEPS)).isCloseTo(0.3, within(0.05));
    }
}
