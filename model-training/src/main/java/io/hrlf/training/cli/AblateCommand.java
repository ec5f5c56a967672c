package io.hrlf.training.cli;

import io.hrlf.contract.MissingPattern;
import io.hrlf.training.chart.RobustnessChart;
import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.training.data.VideoSplit;
import io.hrlf.training.eval.EvaluationReport;
import io.hrlf.training.export.ModelExport;
import io.hrlf.training.train.TrainingData;
import io.hrlf.training.train.TrainingListener;
import io.hrlf.training.train.TrainingOptions;
import io.hrlf.training.train.Variant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "ablate", mixinStandardHelpOptions = true,
        description = "Train every variant for every seed on the training sequences, choose each run's epoch on --dev "
                + "and report on --dev: per condition, mean ± std over the seeds.")
final class AblateCommand implements Callable<Integer> {
    @Mixin
    CsdInputs inputs = new CsdInputs();
    @Option(names = "--dev", required = true, paramLabel = "DIR",
            description = "Folder with the four .csd files of the held-out dev videos (see train --dev)")
    Path devDir;
    @Option(names = "--variants", defaultValue = "full,no-frf,no-hmi,no-hal,no-kd,dropout,plain", split = ",",
            description = "Variants to train; NAME@K trains NAME with K windows of context (whatever --context "
                    + "says), so models with and without context compare in one run (e.g. full,full@8; default "
                    + "${DEFAULT-VALUE})")
    List<String> variants;
    @Option(names = "--seeds", defaultValue = "5",
            description = "How many seeds per variant (default ${DEFAULT-VALUE})")
    int seeds;
    @Option(names = "--first-seed", defaultValue = "1", description = "The first of the seeds, which run "
            + "first-seed..first-seed+N-1 (default ${DEFAULT-VALUE}; e.g. seeds that chose no setting)")
    int firstSeed;
    @Mixin
    TuningMixin tuning = new TuningMixin();
    @Option(names = "--json", required = true, description = "Where to write every run's report and the summary")
    Path json;
    @Option(names = "--chart", description = "PNG of F1 vs frame-missing rate and per condition (mean over seeds)")
    Path chart;

    @Override
    public Integer call() throws Exception {
        DevSetOption dev = new DevSetOption();
        dev.dir = devDir;
        MultimodalDataset devSet = dev.load(inputs.steps);
        VideoSplit split = inputs.split();
        // the leaky validation slice is not even computed here: nothing in an ablation may look at it
        TrainingData data = TrainingData.selectingOn(split.train(), devSet);
        Map<String, List<EvaluationReport>> runs = new LinkedHashMap<>();
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        Map<String, Object> optionsByVariant = new LinkedHashMap<>();
        for (String name : variants) {
            for (int seed = firstSeed; seed < firstSeed + seeds; seed++) {
                TrainingOptions options = options(name, seed, tuning);
                optionsByVariant.put(name, options.withSeed(0).asMap());
                long started = System.nanoTime();
                EvaluationReport report = ModelExport.trainAndExport(data, devSet, options, TrainingListener.SILENT,
                        null, null);
                double took = (System.nanoTime() - started) / 1e9;
                System.out.printf(Locale.ROOT, "%-8s seed %d: dev F1 complete %.4f, avg missing %.4f (%.1f s)%n", name,
                        seed, report.complete().f1(), report.avgMissingF1(), took);
                runs.computeIfAbsent(name, k -> new ArrayList<>()).add(report);
                seconds.computeIfAbsent(name, k -> new ArrayList<>()).add(took);
            }
        }
        List<String> conditions = MissingPattern.EVERY_NON_EMPTY.stream().map(MissingPattern::code).toList();
        StringBuilder table = new StringBuilder("| variant | avg missing F1 | " + String.join(" | ", conditions)
                + " | lost mid-video avg F1 |\n|---|---|" + "---|".repeat(conditions.size() + 1) + "\n");
        Map<String, Object> summary = new LinkedHashMap<>();
        for (Map.Entry<String, List<EvaluationReport>> e : runs.entrySet()) {
            Map<String, double[]> stats = new LinkedHashMap<>();
            stats.put("avg_missing_f1", SeedStats.meanStd(e.getValue().stream().mapToDouble(EvaluationReport::avgMissingF1)
                    .toArray()));
            table.append("| ").append(e.getKey()).append(" | ").append(SeedStats.percent(stats.get("avg_missing_f1")));
            for (String condition : conditions) {
                double[] ms = SeedStats.meanStd(e.getValue().stream().mapToDouble(r -> r.conditions().get(condition).f1())
                        .toArray());
                stats.put(condition, ms);
                table.append(" | ").append(SeedStats.percent(ms));
            }
            stats.put("lost_midway_avg_f1", SeedStats.meanStd(e.getValue().stream()
                    .mapToDouble(r -> r.lostMidway().avgF1()).toArray()));
            table.append(" | ").append(SeedStats.percent(stats.get("lost_midway_avg_f1"))).append(" |\n");
            stats.put("train_seconds", SeedStats.meanStd(seconds.get(e.getKey()).stream().mapToDouble(Double::doubleValue)
                    .toArray()));
            summary.put(e.getKey(), stats);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("reported_on", "dev: " + devDir + " (" + devSet.size() + " segments), which also chose each run's "
                + "kept epoch");
        out.put("trained_on", split.train().size() + " segments of " + inputs.text.getParent()
                + " (validation fraction " + inputs.validationFraction + ", split seed " + inputs.splitSeed + ")");
        out.put("seeds", seeds);
        out.put("first_seed", firstSeed);
        out.put("options", optionsByVariant);
        out.put("summary_mean_std_f1", summary);
        out.put("runs", runs);
        EvaluationReport.json().writeValue(json.toFile(), out);
        if (chart != null) {
            Map<String, EvaluationReport> means = new LinkedHashMap<>();
            runs.forEach((name, reports) -> means.put(name, EvaluationReport.mean(reports)));
            RobustnessChart.write(means, chart);
        }
        System.out.print(table);
        return 0;
    }

    /**
     * The options of variant {@code name} for one seed: {@code VARIANT} with the tuning flags as given (so with
     * {@code --context K} if given), {@code VARIANT@K} with K windows of context whatever {@code --context} says.
     */
    static TrainingOptions options(String name, int seed, TuningMixin tuning) {
        int at = name.indexOf('@');
        Variant variant = Variant.fromCliName(at < 0 ? name : name.substring(0, at));
        TrainingOptions options = tuning.apply(TrainingOptions.defaults().withVariant(variant).withSeed(seed));
        if (at >= 0) {
            int windows;
            try {
                windows = Integer.parseInt(name.substring(at + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("variant " + name + ": the number after @ is the context's K", e);
            }
            options = options.withContext(windows, options.contextDim());
        }
        return options;
    }
}
