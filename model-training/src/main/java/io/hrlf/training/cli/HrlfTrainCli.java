package io.hrlf.training.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar hrlf-train.jar <command>}: train, evaluate and compare HRLF models. */
@Command(name = "hrlf-train", mixinStandardHelpOptions = true, version = "hrlf-train 0.1.0",
        description = "Train and evaluate the HRLF student (TensorFlow Java) on CMU-MultimodalSDK sequences.",
        subcommands = {TrainCommand.class, TrainSyntheticCommand.class, EvaluateCommand.class, AblateCommand.class,
            SpecialistsCommand.class})
public final class HrlfTrainCli {
    public static void main(String[] args) {
        System.exit(new CommandLine(new HrlfTrainCli()).execute(args));
    }
}
