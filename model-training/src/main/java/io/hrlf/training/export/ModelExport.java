package io.hrlf.training.export;

import io.hrlf.contract.ContextSpec;
import io.hrlf.contract.Modality;
import io.hrlf.contract.ModelMetadata;
import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.training.eval.EvaluationReport;
import io.hrlf.training.eval.Evaluator;
import io.hrlf.training.train.HrlfTrainer;
import io.hrlf.training.train.TrainedModel;
import io.hrlf.training.train.TrainingData;
import io.hrlf.training.train.TrainingListener;
import io.hrlf.training.train.TrainingOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one way to produce a model: train, evaluate the student, fill {@link ModelMetadata} and export
 * the SavedModel with its metadata. The training CLI, the demo and the benchmarks all go through it.
 */
public final class ModelExport {
    private ModelExport() {}

    /**
     * @param evaluation the samples the returned report (and the metadata's metrics) are computed on
     * @param dir where to write the SavedModel and {@code hrlf-model.json}; null trains and evaluates only
     * @param modelVersion the version stamped on every score the exported model produces
     * @return the student's robustness report on {@code evaluation}
     */
    public static EvaluationReport trainAndExport(TrainingData data, MultimodalDataset evaluation,
                                                  TrainingOptions options, TrainingListener listener, Path dir,
                                                  String modelVersion) throws IOException {
        try (TrainedModel model = HrlfTrainer.train(data, options, listener)) {
            return evaluateAndExport(model, data, evaluation, dir, modelVersion);
        }
    }

    /** The second half of {@link #trainAndExport}, for a model already trained on {@code data}. */
    public static EvaluationReport evaluateAndExport(TrainedModel model, TrainingData data, MultimodalDataset evaluation,
                                                     Path dir, String modelVersion) throws IOException {
        EvaluationReport report = Evaluator.evaluate(model, evaluation, model.options().seed());
        if (dir != null) {
            model.exportStudent(dir, metadata(model, data, evaluation, report, modelVersion));
        }
        return report;
    }

    private static ModelMetadata metadata(TrainedModel model, TrainingData data, MultimodalDataset evaluation,
                                          EvaluationReport report, String modelVersion) {
        MultimodalDataset train = data.train();
        TrainingOptions options = model.options();
        Map<String, Integer> dims = new LinkedHashMap<>();
        for (Modality m : Modality.ALL) {
            dims.put(m.inputName(), train.dim(m));
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("complete_f1", report.complete().f1());
        metrics.put("avg_missing_f1", report.avgMissingF1());
        metrics.put("evaluated_on", evaluation.description() + " (" + evaluation.size() + " samples)");
        metrics.put("evaluation", EvaluationReport.json().convertValue(report, Map.class));
        String trainedOn = train.description() + " (" + train.size() + " training samples; epoch chosen on "
                + (data.selection() == null ? "none: last epoch kept" : data.selection().size() + " selection samples")
                + ")";
        ModelMetadata metadata = new ModelMetadata(ModelMetadata.FORMAT_VERSION, modelVersion,
                options.variant().cliName(), options.seed(), train.steps(), dims, model.normalizer().asMetadata(),
                trainedOn, Instant.now().toString(), options.asMap(), metrics);
        return options.hasContext()
                ? metadata.withContext(ContextSpec.of(options.contextWindows(), options.contextDim())) : metadata;
    }
}
