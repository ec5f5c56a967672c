package io.hrlf.training.cli;

import io.hrlf.training.train.TrainingOptions;
import io.hrlf.training.train.Variant;
import picocli.CommandLine.Option;

/** Options shared by every command that trains. */
final class TrainOptionsMixin {
    @Option(names = "--variant", defaultValue = "full",
            description = "full, no-frf, no-hmi, no-hal, no-kd, dropout or plain (default ${DEFAULT-VALUE})")
    String variant;
    @Option(names = "--seed", defaultValue = "1", description = "Training seed (default ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--epochs", description = "Epochs of teacher and of student (defaults: 30 and 40)")
    Integer epochs;
    @Option(names = "--paper-weights", description = "Use the paper's unweighted loss sum instead of our defaults")
    boolean paperWeights;

    TrainingOptions options() {
        TrainingOptions options = TrainingOptions.defaults().withVariant(Variant.fromCliName(variant)).withSeed(seed);
        if (epochs != null) {
            options = options.withEpochs(epochs);
        }
        return paperWeights ? options.paperWeights() : options;
    }
}
