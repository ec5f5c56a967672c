package io.hrlf.training.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.hrlf.contract.Modality;
import org.junit.jupiter.api.Test;

/** The generator is deterministic per seed, labels stay in the score range, and different seeds differ. */
class SyntheticDatasetTest {
    private static final int[] DIMS = {6, 4, 5};

    @Test
    void isDeterministicGivenASeed() {
        MultimodalDataset a = SyntheticDataset.generate(50, 8, DIMS, 3L);
        MultimodalDataset b = SyntheticDataset.generate(50, 8, DIMS, 3L);
        MultimodalDataset c = SyntheticDataset.generate(50, 8, DIMS, 4L);

        assertThat(a.labels()).containsExactly(b.labels());
        for (Modality m : Modality.ALL) {
            assertThat(a.values(m)).containsExactly(b.values(m));
            assertThat(a.values(m)).hasSize(50 * 8 * DIMS[m.ordinal()]);
        }
        assertThat(a.labels()).isNotEqualTo(c.labels());
        for (float y : a.labels()) {
            assertThat(y).isBetween(-3f, 3f);
        }
    }
}
