package io.hrlf.training.cli;

import io.hrlf.model.SentimentModel;
import io.hrlf.training.chart.RobustnessChart;
import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.training.eval.EvaluationReport;
import io.hrlf.training.eval.Evaluator;
import io.hrlf.training.eval.SavedModelPredictor;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate an exported model through the serving code path under missing modalities.")
final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    CsdInputs inputs = new CsdInputs();
    @Option(names = "--model", required = true, description = "Exported model directory")
    Path model;
    @Option(names = "--json", required = true, description = "Where to write the report")
    Path json;
    @Option(names = "--chart", description = "Also draw the report as a PNG chart")
    Path chart;
    @Option(names = "--seed", defaultValue = "1", description = "Seed of the frame-missing draws")
    long seed;
    @Option(names = "--split", defaultValue = "validation",
            description = "validation (the validation videos of the training split; the default, since the held-out "
                    + "MOSI test videos are not distributed with this data) or all")
    String split;

    @Override
    public Integer call() throws Exception {
        MultimodalDataset data = "all".equals(split) ? inputs.load() : inputs.split().validation();
        try (SentimentModel serving = SentimentModel.load(model, data.steps(), data.dims())) {
            EvaluationReport report = Evaluator.evaluate(new SavedModelPredictor(serving), data, seed);
            report.write(json);
            if (chart != null) {
                RobustnessChart.write(java.util.Map.of(model.getFileName().toString(), report), chart);
            }
            System.out.printf(Locale.ROOT, "%d segments: F1 complete %.4f, avg missing %.4f -> %s%n", data.size(),
                    report.conditions().get("l,a,v").f1(), report.avgMissingF1(), json);
        }
        return 0;
    }
}
