package io.hrlf.training.cli;

import io.hrlf.contract.MissingPattern;
import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.training.eval.EvaluationReport;
import io.hrlf.training.eval.Evaluator;
import io.hrlf.training.export.ModelExport;
import io.hrlf.training.train.TrainingData;
import io.hrlf.training.train.TrainingListener;
import io.hrlf.training.train.TrainingOptions;
import io.hrlf.training.train.Variant;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A reference point for the robust model: one dedicated model per condition, trained and selected with only
 * that condition's modalities (variant {@code plain} on the masked data), scored on that condition of the dev
 * set. A single model that must serve every condition rarely beats the specialist of each; their average
 * says what the features allow at utterance level.
 */
@Command(name = "specialists", mixinStandardHelpOptions = true,
        description = "Per condition, train a model on only that condition's modalities (epoch chosen on --dev under "
                + "the same condition) and report its dev F1 there: mean ± std over the seeds.")
final class SpecialistsCommand implements Callable<Integer> {
    @Mixin
    CsdInputs inputs = new CsdInputs();
    @Option(names = "--dev", required = true, paramLabel = "DIR",
            description = "Folder with the four .csd files of the held-out dev videos (see train --dev)")
    Path devDir;
    @Option(names = "--seeds", defaultValue = "5", description = "Seeds 1..N per condition (default ${DEFAULT-VALUE})")
    int seeds;
    @Mixin
    TuningMixin tuning = new TuningMixin();
    @Option(names = "--json", required = true, description = "Where to write the per-seed F1 and the summary")
    Path json;

    @Override
    public Integer call() throws Exception {
        DevSetOption dev = new DevSetOption();
        dev.dir = devDir;
        MultimodalDataset devSet = dev.load(inputs.steps);
        MultimodalDataset train = inputs.split().train();
        Map<String, Object> summary = new LinkedHashMap<>();
        Map<String, double[]> perSeed = new LinkedHashMap<>();
        StringBuilder table = new StringBuilder("| condition | specialist F1 |\n|---|---|\n");
        double[] avgMissing = new double[seeds];
        for (MissingPattern condition : MissingPattern.EVERY_NON_EMPTY) {
            MultimodalDataset devCondition = Evaluator.condition(devSet, condition);
            TrainingData data = TrainingData.selectingOn(Evaluator.condition(train, condition), devCondition);
            double[] f1 = new double[seeds];
            for (int seed = 1; seed <= seeds; seed++) {
                TrainingOptions options = tuning.apply(
                        TrainingOptions.defaults().withVariant(Variant.PLAIN).withSeed(seed));
                EvaluationReport report = ModelExport.trainAndExport(data, devCondition, options,
                        TrainingListener.SILENT, null, null);
                // every condition of the report is this condition or a subset of it; the full one is ours
                f1[seed - 1] = report.conditions().get(condition.code()).f1();
                if (MissingPattern.PAPER_MISSING_CONDITIONS.contains(condition)) {
                    avgMissing[seed - 1] += f1[seed - 1] / MissingPattern.PAPER_MISSING_CONDITIONS.size();
                }
                System.out.printf(Locale.ROOT, "%-6s seed %d: dev F1 %.4f%n", condition.code(), seed, f1[seed - 1]);
            }
            perSeed.put(condition.code(), f1);
            summary.put(condition.code(), SeedStats.meanStd(f1));
            table.append("| ").append(condition.code()).append(" | ").append(SeedStats.percent(SeedStats.meanStd(f1)))
                    .append(" |\n");
        }
        summary.put("avg_missing_f1", SeedStats.meanStd(avgMissing));
        table.append("| avg of the six missing conditions | ").append(SeedStats.percent(SeedStats.meanStd(avgMissing)))
                .append(" |\n");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("what", "one plain model per condition, trained and selected with only its modalities");
        out.put("reported_on", "dev: " + devDir + " (" + devSet.size() + " segments), which also chose each run's "
                + "kept epoch");
        out.put("seeds", seeds);
        out.put("options", tuning.apply(TrainingOptions.defaults().withVariant(Variant.PLAIN)).asMap());
        out.put("summary_mean_std_f1", summary);
        out.put("per_seed_f1", perSeed);
        EvaluationReport.json().writeValue(json.toFile(), out);
        System.out.print(table);
        return 0;
    }
}
