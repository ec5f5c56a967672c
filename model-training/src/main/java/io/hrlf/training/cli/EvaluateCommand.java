package io.hrlf.training.cli;

import io.hrlf.model.SentimentModel;
import io.hrlf.training.chart.RobustnessChart;
import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.training.eval.EvaluationReport;
import io.hrlf.training.eval.Evaluator;
import io.hrlf.training.eval.PredictionsCsv;
import io.hrlf.training.eval.SavedModelPredictor;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate an exported model through the serving code path under missing modalities, on every "
                + "segment of the given sequences.")
final class EvaluateCommand implements Callable<Integer> {
    /** Which segments of the given sequences are scored. */
    enum Split { all, validation }

    @Mixin
    CsdInputs inputs = new CsdInputs();
    @Option(names = "--model", required = true, description = "Exported model directory")
    Path model;
    @Option(names = "--json", required = true, description = "Where to write the report")
    Path json;
    @Option(names = "--chart", description = "Also draw the report as a PNG chart")
    Path chart;
    @Option(names = "--predictions", paramLabel = "FILE.csv",
            description = "Also write one row per segment and condition: " + PredictionsCsv.HEADER)
    Path predictions;
    @Option(names = "--seed", defaultValue = "1", description = "Seed of the frame-missing draws")
    long seed;
    @Option(names = "--split", defaultValue = "all",
            description = "all (every segment; the default) or validation (only the validation videos that "
                    + "--validation-fraction, 0.2 if not given, and --split-seed carve out of these sequences, as "
                    + "train does: on CMU-MOSI's training videos an " + ConsoleProgress.LEAKY_LABEL + ")")
    Split split;

    @Override
    public Integer call() throws Exception {
        MultimodalDataset data = split == Split.all ? inputs.load() : inputs.validationSlice();
        try (SentimentModel serving = SentimentModel.load(model, data.steps(), data.dims())) {
            SavedModelPredictor predictor = new SavedModelPredictor(serving);
            EvaluationReport report = Evaluator.evaluate(predictor, data, seed);
            report.write(json);
            if (chart != null) {
                RobustnessChart.write(Map.of(model.getFileName().toString(), report), chart);
            }
            if (predictions != null) {
                PredictionsCsv.write(predictor, data, predictions);
            }
            System.out.printf(Locale.ROOT, "%d segments (%s): F1 complete %.4f, avg missing %.4f, lost mid-video avg "
                    + "%.4f -> %s%n", data.size(), split == Split.all ? "all" : "validation split, "
                    + ConsoleProgress.LEAKY_LABEL, report.complete().f1(), report.avgMissingF1(),
                    report.lostMidway().avgF1(), json);
        }
        return 0;
    }
}
