package io.hrlf.training.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.training.data.SyntheticDataset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code selectTeacher}: the teacher the student learns from is the epoch best on the selection set. */
class TeacherSelectionTest {
    private static final int[] DIMS = {12, 8, 8};

    @Test
    void theTeacherKeptIsTheEpochWithTheLowestSelectionMae() {
        MultimodalDataset train = SyntheticDataset.generate(60, 1, DIMS, 21);
        MultimodalDataset selection = SyntheticDataset.generate(120, 1, DIMS, 22);
        TrainingOptions options = TrainingOptions.defaults().withModelDim(16).withEpochs(10, 1).withBatchSize(8).withSeed(3);

        List<Double> perEpoch = new ArrayList<>();
        TrainingListener teacherEpochs = (phase, epoch, epochs, loss, metrics) -> {
            if (phase.equals("teacher")) {
                perEpoch.add(metrics.mae());
            }
        };
        double best = Double.POSITIVE_INFINITY;
        double kept;
        try (TrainedModel model = HrlfTrainer.train(train, selection, options.withSelectTeacher(true), teacherEpochs)) {
            kept = HrlfTrainer.teacherMetrics(model, selection).mae();
        }
        for (double mae : perEpoch) {
            best = Math.min(best, mae);
        }

        System.out.println("teacher selection MAE per epoch: " + perEpoch);
        assertThat(perEpoch).hasSize(10);
        // a small training set overfits: the last epoch is not the best one, so keeping it would be visible
        assertThat(perEpoch.get(9)).isGreaterThan(best);
        assertThat(kept).isCloseTo(best, within(1e-6));
    }
}
