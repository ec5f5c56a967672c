package io.hrlf.training.cli;

import io.hrlf.contract.Modality;
import io.hrlf.contract.ModelMetadata;
import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.training.eval.EvaluationReport;
import io.hrlf.training.eval.Evaluator;
import io.hrlf.training.train.HrlfTrainer;
import io.hrlf.training.train.TrainedModel;
import io.hrlf.training.train.TrainingListener;
import io.hrlf.training.train.TrainingOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Trains, evaluates on validation and exports: what both train commands do. */
final class TrainingRun {
    private TrainingRun() {}

    static EvaluationReport trainAndExport(MultimodalDataset train, MultimodalDataset validation,
                                           TrainingOptions options, TrainingListener listener, Path out,
                                           String modelVersion) throws IOException {
        try (TrainedModel model = HrlfTrainer.train(train, validation, options, listener)) {
            EvaluationReport report = Evaluator.evaluate(model, validation, options.seed());
            if (out != null) {
                Map<String, Integer> dims = new LinkedHashMap<>();
                for (Modality m : Modality.ALL) {
                    dims.put(m.inputName(), train.dim(m));
                }
                Map<String, Object> metrics = new LinkedHashMap<>();
                metrics.put("complete_f1", report.conditions().get("l,a,v").f1());
                metrics.put("avg_missing_f1", report.avgMissingF1());
                metrics.put("validation", EvaluationReport.json().convertValue(report, Map.class));
                model.exportStudent(out, new ModelMetadata(ModelMetadata.FORMAT_VERSION, modelVersion,
                        options.variant().cliName(), options.seed(), train.steps(), dims,
                        model.normalizer().asMetadata(), train.description() + " (training split: " + train.size()
                        + " samples; validation: " + validation.size() + ")", Instant.now().toString(),
                        options.asMap(), metrics));
            }
            return report;
        }
    }
}
