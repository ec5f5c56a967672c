package io.hrlf.training.cli;

import io.hrlf.training.data.CsdDatasetLoader;
import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.training.data.VideoSplit;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The .csd inputs every data command takes, and the one deterministic split by video (an optimisation diagnostic). */
final class CsdInputs {
    @Option(names = "--text", required = true, description = "Text (language) computational sequence, .csd")
    Path text;
    @Option(names = "--audio", required = true, description = "Audio computational sequence, .csd")
    Path audio;
    @Option(names = "--vision", required = true, description = "Vision computational sequence, .csd")
    Path vision;
    @Option(names = "--labels", required = true, description = "Sentiment labels computational sequence, .csd")
    Path labels;
    @Option(names = "--steps", defaultValue = "1",
            description = "T, steps per segment (1 for utterance-level features; default ${DEFAULT-VALUE})")
    int steps;
    @Option(names = "--validation-fraction", defaultValue = "0",
            description = "Fraction of the videos carved out of these sequences as a validation split (default "
                    + "${DEFAULT-VALUE}: train on every video). On CMU-MOSI's training videos it leaks (the feature "
                    + "extractors were trained on them), so its scores are printed as an optimisation diagnostic only "
                    + "and never select anything")
    double validationFraction;
    @Option(names = "--split-seed", defaultValue = "20241104", description = "Seed of the split by video")
    long splitSeed;

    MultimodalDataset load() {
        return CsdDatasetLoader.load(text, audio, vision, labels, steps);
    }

    VideoSplit split() {
        return VideoSplit.of(load(), validationFraction, splitSeed);
    }

    /** The validation videos at the given fraction, or at the historical 20 % when none was given. */
    MultimodalDataset validationSlice() {
        double fraction = validationFraction > 0 ? validationFraction : VideoSplit.DEFAULT_VALIDATION_FRACTION;
        return VideoSplit.of(load(), fraction, splitSeed).validation();
    }
}
