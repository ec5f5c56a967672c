package io.hrlf.training.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * A deterministic train/validation split by video: segments of one video never sit on both sides
 * (they share speaker and topic, so a split by segment would leak). The sorted video ids are
 * shuffled with the seed and the first {@code fraction} of them form the validation set.
 */
public record VideoSplit(MultimodalDataset train, MultimodalDataset validation, List<String> validationVideos) {
    public static final double DEFAULT_VALIDATION_FRACTION = 0.2;
    public static final long DEFAULT_SEED = 20241104L;

    public static VideoSplit of(MultimodalDataset data, double validationFraction, long seed) {
        List<String> videos = new ArrayList<>(new TreeSet<>(List.of(data.videoIds())));
        Collections.shuffle(videos, new Random(seed));
        // a fraction of 0 keeps every video for training (the validation side is then empty)
        int validationCount = validationFraction <= 0 ? 0
                : Math.max(1, (int) Math.round(videos.size() * validationFraction));
        TreeSet<String> validation = new TreeSet<>(videos.subList(0, validationCount));
        List<Integer> trainRows = new ArrayList<>();
        List<Integer> validationRows = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            (validation.contains(data.videoIds()[i]) ? validationRows : trainRows).add(i);
        }
        return new VideoSplit(data.subset(toArray(trainRows)), data.subset(toArray(validationRows)),
                List.copyOf(validation));
    }

    private static int[] toArray(List<Integer> rows) {
        return rows.stream().mapToInt(Integer::intValue).toArray();
    }
}
