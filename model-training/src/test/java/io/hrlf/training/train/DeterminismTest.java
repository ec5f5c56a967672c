package io.hrlf.training.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.hrlf.contract.MissingPattern;
import io.hrlf.contract.Modality;
import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.training.data.SyntheticDataset;
import io.hrlf.training.eval.Evaluator;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A seeded run gives the same model whatever else the machine is doing: the second run of the same seed
 * trains while another thread keeps a core busy, and must still score every sample identically. A
 * different seed must give a different model (else the test could pass by ignoring the seed).
 */
class DeterminismTest {
    private static final int STEPS = 3;
    private static final int[] DIMS = {6, 4, 5};
    /** Every part switched on, so every random source (weights, batches, missingness, dropout, noise) is exercised. */
    private static final TrainingOptions OPTIONS = TrainingOptions.defaults().withVariant(Variant.FULL).withSeed(7)
            .withEpochs(2).withModelDim(8).withBatchSize(32).withRegularisation(1e-4f, 0.1f, 0.05f)
            .withModalityGate(true).withUnimodalWeight(0.5f);

    private final MultimodalDataset train = SyntheticDataset.generate(128, STEPS, DIMS, 21);
    private final MultimodalDataset heldOut = SyntheticDataset.generate(48, STEPS, DIMS, 22);

    private float[] scores(TrainingOptions options) {
        try (TrainedModel model = HrlfTrainer.train(train, heldOut, options, TrainingListener.SILENT)) {
            return model.predict(Evaluator.condition(heldOut, MissingPattern.present(Modality.TEXT, Modality.VISION)));
        }
    }

    @Test
    void theSameSeedGivesTheSameScoresUnderLoadAndAnotherSeedDoesNot() throws Exception {
        float[] first = scores(OPTIONS);

        AtomicBoolean running = new AtomicBoolean(true);
        Thread busy = new Thread(() -> {
            double x = 0;
            while (running.get()) {
                x += Math.sqrt(x + 1); // keeps a core busy so the TensorFlow threads are scheduled differently
            }
        });
        busy.setDaemon(true);
        busy.start();
        float[] second;
        try {
            second = scores(OPTIONS);
        } finally {
            running.set(false);
            busy.join();
        }
        float[] otherSeed = scores(OPTIONS.withSeed(8));

        assertThat(second).containsExactly(first);
        double largestDifference = 0;
        for (int i = 0; i < first.length; i++) {
            largestDifference = Math.max(largestDifference, Math.abs(first[i] - otherSeed[i]));
        }
        assertThat(largestDifference).isGreaterThan(1e-3);
    }
}
