package io.hrlf.training.context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Batches of whole videos, so every row's earlier rows are in the same batch and its context is complete:
 * a model with context trains and predicts on these instead of on rows drawn one by one.
 */
public final class VideoBatches {
    private VideoBatches() {}

    /** Each video's rows in the dataset's order, videos in the order they first appear. */
    public static int[][] videos(String[] videoOfRow) {
        Map<String, List<Integer>> byVideo = new LinkedHashMap<>();
        for (int row = 0; row < videoOfRow.length; row++) {
            byVideo.computeIfAbsent(videoOfRow[row], v -> new ArrayList<>()).add(row);
        }
        return byVideo.values().stream().map(rows -> rows.stream().mapToInt(Integer::intValue).toArray())
                .toArray(int[][]::new);
    }

    /**
     * The videos, taken in {@code order}, packed into batches of whole videos: a batch closes once it holds
     * at least {@code targetRows} rows (so batches average about the target and a long video is never split).
     */
    public static int[][] pack(int[][] videos, int[] order, int targetRows) {
        List<int[]> batches = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        for (int v : order) {
            for (int row : videos[v]) {
                current.add(row);
            }
            if (current.size() >= targetRows) {
                batches.add(current.stream().mapToInt(Integer::intValue).toArray());
                current.clear();
            }
        }
        if (!current.isEmpty()) {
            batches.add(current.stream().mapToInt(Integer::intValue).toArray());
        }
        return batches.toArray(int[][]::new);
    }
}
