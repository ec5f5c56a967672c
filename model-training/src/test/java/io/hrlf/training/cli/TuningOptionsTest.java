package io.hrlf.training.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hrlf.training.train.TrainingOptions;
import io.hrlf.training.train.Variant;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TuningOptionsTest {

    @Test
    void commandLineWeightsReachTheTrainingOptions() {
        TrainSyntheticCommand command = new TrainSyntheticCommand();
        new CommandLine(command).parseArgs("--out", "x", "--variant", "no-hal", "--seed", "7", "--epochs", "3",
                "--paper-weights", "--hmi-weight", "0.25");
        TrainingOptions options = command.training.options();
        assertThat(options.variant()).isEqualTo(Variant.NO_HAL);
        assertThat(options.seed()).isEqualTo(7);
        assertThat(options.teacherEpochs()).isEqualTo(3);
        assertThat(options.studentEpochs()).isEqualTo(3);
        assertThat(options.frfWeight()).isEqualTo(1f);
        assertThat(options.halWeight()).isEqualTo(1f);
        assertThat(options.hmiWeight()).isEqualTo(0.25f);
    }

    @Test
    void withoutFlagsTheDocumentedDefaultsApply() {
        TrainSyntheticCommand command = new TrainSyntheticCommand();
        new CommandLine(command).parseArgs("--out", "x");
        assertThat(command.training.options()).isEqualTo(TrainingOptions.defaults());
    }
}
