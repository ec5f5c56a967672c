package io.hrlf.training.context;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Which earlier rows fill each row's K context slots, for rows given in order (each video's rows in time
 * order, videos possibly interleaved): the same video's previous rows, at most K, oldest first and
 * right-aligned so the newest is in slot K-1, exactly as the job's {@code ContextBatch} lays out a
 * participant's remembered windows. Training and offline evaluation feed this layout to the graph as a
 * one-hot selection over the batch's own representations, so they compute what the stream computes.
 */
public final class ContextSlots {
    /** Marks an empty slot in {@link #source}. */
    public static final int EMPTY = -1;

    private final int rows;
    private final int windows;
    private final int[] sources;

    private ContextSlots(int rows, int windows, int[] sources) {
        this.rows = rows;
        this.windows = windows;
        this.sources = sources;
    }

    /** The slots of rows {@code 0..n-1}, where {@code videoOfRow[r]} is row r's video (its participant). */
    public static ContextSlots of(String[] videoOfRow, int windows) {
        if (windows <= 0) {
            throw new IllegalArgumentException("K must be positive, is " + windows);
        }
        int n = videoOfRow.length;
        int[] sources = new int[n * windows];
        Arrays.fill(sources, EMPTY);
        Map<String, Deque<Integer>> earlier = new HashMap<>();
        for (int row = 0; row < n; row++) {
            Deque<Integer> previous = earlier.computeIfAbsent(videoOfRow[row], v -> new ArrayDeque<>());
            int slot = windows - previous.size();
            for (int source : previous) {
                sources[row * windows + slot++] = source;
            }
            previous.addLast(row);
            if (previous.size() > windows) {
                previous.removeFirst();
            }
        }
        return new ContextSlots(n, windows, sources);
    }

    public int rows() {
        return rows;
    }

    public int windows() {
        return windows;
    }

    /** The row whose representation fills {@code slot} of {@code row}, or {@link #EMPTY}. */
    public int source(int row, int slot) {
        return sources[row * windows + slot];
    }

    /** [n*K]: 1 where a slot holds a representation. */
    public float[] mask() {
        float[] mask = new float[sources.length];
        for (int i = 0; i < sources.length; i++) {
            mask[i] = sources[i] == EMPTY ? 0f : 1f;
        }
        return mask;
    }

    /** [n*K, n] row-major: row (r*K + k) is one-hot on the row filling slot k of row r, zero for an empty slot. */
    public float[] selection() {
        float[] selection = new float[sources.length * rows];
        for (int i = 0; i < sources.length; i++) {
            if (sources[i] != EMPTY) {
                selection[i * rows + sources[i]] = 1f;
            }
        }
        return selection;
    }
}
