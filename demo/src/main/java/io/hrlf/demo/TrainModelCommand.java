package io.hrlf.demo;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hrlf-demo.jar train-model --out DIR}: the demo's synthetic model, for a cluster run (docker-compose). */
@Command(name = "train-model", mixinStandardHelpOptions = true,
        description = "Train the demo's HRLF student on synthetic calls and export it as a SavedModel.")
final class TrainModelCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "Directory to export the model to")
    Path out;
    @Option(names = "--epochs", defaultValue = "12", description = "Epochs (default ${DEFAULT-VALUE})")
    int epochs;

    @Override
    public Integer call() throws Exception {
        SyntheticDemoModel.train(out, epochs);
        return 0;
    }
}
