package io.hrlf.training.cli;

import io.hrlf.training.data.CsdFolder;
import io.hrlf.training.data.MultimodalDataset;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --dev DIR}: held-out videos that choose the kept epoch and that results are reported on. */
final class DevSetOption {
    @Option(names = "--dev", paramLabel = "DIR",
            description = "Folder with the four .csd files of held-out videos (" + CsdFolder.TEXT + ", "
                    + CsdFolder.AUDIO + ", " + CsdFolder.VISION + ", " + CsdFolder.LABELS + "), e.g. "
                    + "../shared/data/cmu-mosi/dev: chooses the kept student epoch; results are reported on it")
    Path dir;

    /** The dev set, or null when none was given. */
    MultimodalDataset load(int steps) {
        return dir == null ? null : CsdFolder.load(dir, steps);
    }
}
