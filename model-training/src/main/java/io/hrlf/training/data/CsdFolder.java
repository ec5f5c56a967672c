package io.hrlf.training.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A folder holding the four CMU-MOSI sequences under their release names (the layout of
 * {@code ../shared/data/cmu-mosi/train} and {@code dev}): text, audio, vision and the opinion labels.
 */
public final class CsdFolder {
    public static final String TEXT = "CMU_MOSI_bcLSTM_Text.csd";
    public static final String AUDIO = "CMU_MOSI_bcLSTM_Audio.csd";
    public static final String VISION = "CMU_MOSI_bcLSTM_Visual.csd";
    public static final String LABELS = "CMU_MOSI_Opinion_Labels.csd";

    private CsdFolder() {}

    /** Loads every segment of the folder; fails naming the missing file if one of the four is absent. */
    public static MultimodalDataset load(Path dir, int steps) {
        for (String name : List.of(TEXT, AUDIO, VISION, LABELS)) {
            if (!Files.isRegularFile(dir.resolve(name))) {
                throw new IllegalArgumentException(dir + " has no " + name + " (expected " + TEXT + ", " + AUDIO
                        + ", " + VISION + " and " + LABELS + ")");
            }
        }
        return CsdDatasetLoader.load(dir.resolve(TEXT), dir.resolve(AUDIO), dir.resolve(VISION), dir.resolve(LABELS),
                steps);
    }
}
