package io.hrlf.training.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.training.data.SyntheticDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every Tensor and Result the training loop and the predictor create is closed. TensorFlow Java 1.1
 * exposes no count of open tensors, so the process RSS (/proc/self/status) is watched after a
 * warm-up: the inputs are sized so that leaking one step's feeds would show as tens of MB.
 */
class NativeMemoryTest {
    private static final int STEPS = 4;
    private static final int[] DIMS = {32, 16, 24};
    private static final int BATCH = 128;
    private static final int WARM_UP_EPOCHS = 10;
    private static final int STUDENT_EPOCHS = 90;

    @Test
    void manyTrainingStepsDoNotGrowNativeMemory() {
        Path status = Path.of("/proc/self/status");
        Assumptions.assumeTrue(Files.isReadable(status), "needs /proc/self/status (Linux)");
        MultimodalDataset train = SyntheticDataset.generate(4 * BATCH, STEPS, DIMS, 31);
        MultimodalDataset validation = SyntheticDataset.generate(32, STEPS, DIMS, 32);
        TrainingOptions options = TrainingOptions.defaults().withVariant(Variant.FULL).withSeed(3L)
                .withEpochs(1, STUDENT_EPOCHS).withBatchSize(BATCH).withModelDim(16);
        long[] rss = new long[2];
        TrainingListener watcher = (phase, epoch, epochs, loss, validationMetrics) -> {
            if (phase.equals("student") && epoch == WARM_UP_EPOCHS) {
                rss[0] = rssKb(status);
            } else if (phase.equals("student") && epoch == epochs) {
                rss[1] = rssKb(status);
            }
        };
        try (TrainedModel model = HrlfTrainer.train(train, validation, options, watcher)) {
            assertThat(model.predict(validation)).hasSize(validation.size());
        }
        long growth = rss[1] - rss[0];
        int steps = (STUDENT_EPOCHS - WARM_UP_EPOCHS) * 4;
        System.out.printf("RSS growth over %d student steps (each with a discriminator step): %d KB%n", steps, growth);
        // one step feeds teacher and student inputs of 128 x 4 x 72 floats (~300 KB together):
        // leaking them would add ~95 MB over 320 steps
        assertThat(growth).as("RSS growth in KB over %d training steps", steps).isLessThan(30_000);
    }

    @Test
    void repeatedScoringDoesNotGrowNativeMemory() {
        Path status = Path.of("/proc/self/status");
        Assumptions.assumeTrue(Files.isReadable(status), "needs /proc/self/status (Linux)");
        MultimodalDataset train = SyntheticDataset.generate(256, STEPS, DIMS, 21);
        MultimodalDataset validation = SyntheticDataset.generate(256, STEPS, DIMS, 22);
        TrainingOptions options = TrainingOptions.defaults().withModelDim(16).withEpochs(1);
        try (TrainedModel model = HrlfTrainer.train(train, validation, options, TrainingListener.SILENT)) {
            // warm-up: the allocator's pools, JIT, and the first touch of the Java heap's pages (RSS
            // climbs for ~300 calls while the young generation's pages are touched the first time)
            for (int i = 0; i < 300; i++) {
                model.predict(validation);
            }
            long before = rssKb(status);
            for (int i = 0; i < 500; i++) {
                model.predict(validation);
            }
            long growth = rssKb(status) - before;
            System.out.printf("RSS growth over 500 scoring calls: %d KB%n", growth);
            // each call feeds 256 x 4 x 72 floats (~300 KB): leaking them would add ~150 MB over 500 calls
            assertThat(growth).as("RSS growth in KB over 500 scoring calls").isLessThan(40_000);
        }
    }

    private static long rssKb(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmRSS in " + status);
    }
}
