package io.hrlf.training.cli;

import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.training.data.VideoSplit;
import io.hrlf.training.eval.EvaluationReport;
import io.hrlf.training.export.ModelExport;
import io.hrlf.training.train.TrainingData;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train on .csd sequences, keep the student epoch that is best on --dev, and export the student.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    CsdInputs inputs = new CsdInputs();
    @Mixin
    DevSetOption dev = new DevSetOption();
    @Mixin
    TrainOptionsMixin training = new TrainOptionsMixin();
    @Option(names = "--out", required = true, description = "Directory for the SavedModel and hrlf-model.json")
    Path out;
    @Spec
    CommandSpec spec;
    @Option(names = "--model-version", defaultValue = "hrlf-student", description = "Version stamped on every score")
    String modelVersion;

    @Override
    public Integer call() throws Exception {
        VideoSplit split = inputs.split();
        MultimodalDataset devSet = dev.load(inputs.steps);
        TrainingData data = new TrainingData(split.train(), devSet, split.validation());
        System.out.printf(Locale.ROOT, "data: %d training segments; %d validation segments (%d videos; %s); %s%n",
                split.train().size(), split.validation().size(), split.validationVideos().size(),
                ConsoleProgress.LEAKY_LABEL, devSet == null
                        ? "no --dev: the last epoch is kept"
                        : devSet.size() + " dev segments choose the kept epoch");
        MultimodalDataset evaluation = devSet != null ? devSet : data.diagnostic();
        if (evaluation == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "nothing to evaluate the model on: give --dev DIR "
                    + "(held-out videos) or --validation-fraction F (an " + ConsoleProgress.LEAKY_LABEL + ")");
        }
        long started = System.nanoTime();
        EvaluationReport report = ModelExport.trainAndExport(data, evaluation, training.options(),
                new ConsoleProgress(System.out), out, modelVersion);
        System.out.printf(Locale.ROOT, "trained in %.1f s; %s F1 complete %.4f, avg missing %.4f; exported to %s%n",
                (System.nanoTime() - started) / 1e9, devSet != null ? "dev" : "validation (" + ConsoleProgress.LEAKY_LABEL
                        + ")", report.complete().f1(), report.avgMissingF1(), out);
        return 0;
    }
}
