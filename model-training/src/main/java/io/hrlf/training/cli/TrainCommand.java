package io.hrlf.training.cli;

import io.hrlf.training.data.VideoSplit;
import io.hrlf.training.eval.EvaluationReport;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train on .csd sequences (validation carved out by video) and export the student.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    CsdInputs inputs = new CsdInputs();
    @Mixin
    TrainOptionsMixin training = new TrainOptionsMixin();
    @Option(names = "--out", required = true, description = "Directory for the SavedModel and hrlf-model.json")
    Path out;
    @Option(names = "--model-version", defaultValue = "hrlf-student", description = "Version stamped on every score")
    String modelVersion;

    @Override
    public Integer call() throws Exception {
        VideoSplit split = inputs.split();
        System.out.printf(Locale.ROOT, "data: %d training and %d validation segments (%d validation videos)%n",
                split.train().size(), split.validation().size(), split.validationVideos().size());
        long started = System.nanoTime();
        EvaluationReport report = TrainingRun.trainAndExport(split.train(), split.validation(), training.options(),
                new ConsoleProgress(System.out), out, modelVersion);
        System.out.printf(Locale.ROOT, "trained in %.1f s; validation F1 complete %.4f, avg missing %.4f; exported to %s%n",
                (System.nanoTime() - started) / 1e9, report.conditions().get("l,a,v").f1(), report.avgMissingF1(), out);
        return 0;
    }
}
