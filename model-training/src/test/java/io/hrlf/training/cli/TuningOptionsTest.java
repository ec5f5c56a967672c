package io.hrlf.training.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void contextFlagsReachTheTrainingOptions() {
        TrainSyntheticCommand command = new TrainSyntheticCommand();
        new CommandLine(command).parseArgs("--out", "x", "--context", "6", "--context-dim", "12",
                "--context-epochs", "7", "--context-noise", "0.5");
        TrainingOptions options = command.training.options();
        assertThat(options.contextWindows()).isEqualTo(6);
        assertThat(options.contextDim()).isEqualTo(12);
        assertThat(options.contextEpochs()).isEqualTo(7);
        assertThat(options.contextNoise()).isEqualTo(0.5f);
        assertThat(options.asMap()).containsEntry("contextNoise", 0.5f);
        assertThatThrownBy(() -> options.withContextNoise(-1f)).hasMessageContaining("must be finite and >= 0");
        assertThatThrownBy(() -> options.withContextNoise(Float.POSITIVE_INFINITY))
                .hasMessageContaining("must be finite and >= 0");
        assertThat(options.withRegularisation(0f, 0f, 0.3f).contextStageNoise())
                .as("context noise in place of input noise").isEqualTo(0.5f);
        assertThat(options.withContextNoise(0f).withRegularisation(0f, 0f, 0.3f).contextStageNoise())
                .as("without context noise the stage keeps the input noise").isEqualTo(0.3f);
        assertThat(TrainingOptions.defaults().hasContext()).as("utterance-only by default").isFalse();
    }

    @Test
    void anAblationVariantNamesItsContextAfterAnAt() {
        TuningMixin tuning = new TuningMixin();
        new CommandLine(tuning).parseArgs("--context-dim", "8");
        TrainingOptions plain = AblateCommand.options("dropout", 3, tuning);
        TrainingOptions withContext = AblateCommand.options("full@8", 3, tuning);
        assertThat(plain.variant()).isEqualTo(Variant.DROPOUT);
        assertThat(plain.contextWindows()).isZero();
        assertThat(withContext.variant()).isEqualTo(Variant.FULL);
        assertThat(withContext.contextWindows()).isEqualTo(8);
        assertThat(withContext.contextDim()).isEqualTo(8);
        assertThat(withContext.seed()).isEqualTo(3);
        assertThatThrownBy(() -> AblateCommand.options("full@x", 1, tuning))
                .hasMessageContaining("the number after @ is the context's K");
    }

    @Test
    void withoutFlagsTheDocumentedDefaultsApply() {
        TrainSyntheticCommand command = new TrainSyntheticCommand();
        new CommandLine(command).parseArgs("--out", "x");
        assertThat(command.training.options()).isEqualTo(TrainingOptions.defaults());
    }
}
