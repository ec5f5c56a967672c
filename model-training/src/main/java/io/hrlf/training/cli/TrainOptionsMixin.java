package io.hrlf.training.cli;

import io.hrlf.training.train.TrainingOptions;
import io.hrlf.training.train.Variant;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options shared by every command that trains one model. */
final class TrainOptionsMixin {
    @Option(names = "--variant", defaultValue = "full",
            description = "full, no-frf, no-hmi, no-hal, no-kd, dropout or plain (default ${DEFAULT-VALUE})")
    String variant;
    @Option(names = "--seed", defaultValue = "1", description = "Training seed (default ${DEFAULT-VALUE})")
    long seed;
    @Mixin
    TuningMixin tuning = new TuningMixin();

    TrainingOptions options() {
        return tuning.apply(TrainingOptions.defaults().withVariant(Variant.fromCliName(variant)).withSeed(seed));
    }
}
