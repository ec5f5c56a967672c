package io.hrlf.bench;

import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.training.data.SyntheticDataset;
import io.hrlf.training.export.ModelExport;
import io.hrlf.training.train.TrainingData;
import io.hrlf.training.train.TrainingListener;
import io.hrlf.training.train.TrainingOptions;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The student every scoring and pipeline benchmark runs: a real HRLF student trained by the
 * project's own trainer on synthetic calls, with the demo's shape (T = 8, text/audio/vision 32/16/16).
 * Two epochs are enough: speed does not depend on how well the weights are trained. The context
 * section also trains the same student with context, on the same data.
 */
final class BenchModel {
    static final int STEPS = 8;
    static final int[] DIMS = {32, 16, 16};
    private static final int EPOCHS = 2;

    private BenchModel() {}

    static Path trainAndExport(Path dir) throws Exception {
        return trainAndExport(dir, TrainingOptions.defaults().withEpochs(EPOCHS), "hrlf-bench-synthetic");
    }

    /**
     * The same student, trained the same way, then given a context head over the participant's
     * {@code windows} earlier representations of length {@code dim}, trained for {@code contextEpochs}.
     */
    static Path trainAndExportWithContext(Path dir, int windows, int dim, int contextEpochs) throws Exception {
        return trainAndExport(dir, TrainingOptions.defaults().withEpochs(EPOCHS).withContext(windows, dim)
                .withContextEpochs(contextEpochs), "hrlf-bench-synthetic-context");
    }

    private static Path trainAndExport(Path dir, TrainingOptions options, String version) throws Exception {
        if (Files.isRegularFile(dir.resolve("saved_model.pb"))) {
            return dir; // a re-run in the same target/ reuses it
        }
        MultimodalDataset train = SyntheticDataset.generate(600, STEPS, DIMS, 1);
        MultimodalDataset validation = SyntheticDataset.generate(150, STEPS, DIMS, 2);
        ModelExport.trainAndExport(TrainingData.selectingOn(train, validation), validation, options,
                TrainingListener.SILENT, dir, version);
        return dir;
    }
}
