package io.hrlf.demo;

import io.hrlf.contract.Modality;
import io.hrlf.contract.ModelMetadata;
import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.training.data.SyntheticDataset;
import io.hrlf.training.eval.EvaluationReport;
import io.hrlf.training.eval.Evaluator;
import io.hrlf.training.train.HrlfTrainer;
import io.hrlf.training.train.TrainedModel;
import io.hrlf.training.train.TrainingListener;
import io.hrlf.training.train.TrainingOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

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
        TrainingOptions options = TrainingOptions.defaults().withEpochs(epochs);
        try (TrainedModel trained = HrlfTrainer.train(train, validation, options, TrainingListener.SILENT)) {
            EvaluationReport report = Evaluator.evaluate(trained, validation, 1);
            Map<String, Integer> dimensions = new LinkedHashMap<>();
            for (Modality m : Modality.ALL) {
                dimensions.put(m.inputName(), DIMS[m.ordinal()]);
            }
            trained.exportStudent(dir, new ModelMetadata(ModelMetadata.FORMAT_VERSION, "hrlf-demo-synthetic",
                    options.variant().cliName(), options.seed(), STEPS, dimensions, trained.normalizer().asMetadata(),
                    train.description(), Instant.now().toString(), options.asMap(),
                    Map.of("avg_missing_f1", report.avgMissingF1())));
            System.out.printf(Locale.ROOT, "trained in %.1f s: validation F1 complete %.3f, avg over missing conditions "
                            + "%.3f; exported to %s%n", (System.nanoTime() - started) / 1e9,
                    report.conditions().get("l,a,v").f1(), report.avgMissingF1(), dir);
        }
    }
}
