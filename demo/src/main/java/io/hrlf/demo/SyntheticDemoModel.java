package io.hrlf.demo;

import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.training.data.SyntheticDataset;
import io.hrlf.training.eval.EvaluationReport;
import io.hrlf.training.export.ModelExport;
import io.hrlf.training.train.TrainingData;
import io.hrlf.training.train.TrainingListener;
import io.hrlf.training.train.TrainingOptions;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The demo's model: an HRLF student trained by the project's own code, in seconds, on synthetic calls
 * of the same kind the simulator sends (T = 8 steps, text/audio/vision dims 32/16/16).
 */
final class SyntheticDemoModel {
    static final int STEPS = 8;
    static final int[] DIMS = {32, 16, 16};

    private SyntheticDemoModel() {}

    /** Trains the full variant for {@code epochs} and exports the student to {@code dir}. */
    static void train(Path dir, int epochs) throws Exception {
        System.out.printf("training the HRLF student on synthetic calls (%d epochs)...%n", epochs);
        long started = System.nanoTime();
        MultimodalDataset train = SyntheticDataset.generate(1500, STEPS, DIMS, 1);
        MultimodalDataset validation = SyntheticDataset.generate(300, STEPS, DIMS, 2);
        EvaluationReport report = ModelExport.trainAndExport(TrainingData.selectingOn(train, validation), validation,
                TrainingOptions.defaults().withEpochs(epochs), TrainingListener.SILENT, dir, "hrlf-demo-synthetic");
        System.out.printf(Locale.ROOT, "trained in %.1f s: validation F1 complete %.3f, avg over missing conditions "
                        + "%.3f; exported to %s%n", (System.nanoTime() - started) / 1e9,
                report.complete().f1(), report.avgMissingF1(), dir);
    }
}
