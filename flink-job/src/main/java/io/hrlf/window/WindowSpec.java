package io.hrlf.window;

import java.io.Serializable;
import java.util.Arrays;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The static shape of the windows: size, slide and allowed lateness in milliseconds, plus the model's
 * T and per-modality dimensions (in {@link io.hrlf.contract.Modality#ALL} order).
 */
public record WindowSpec(long sizeMillis, long slideMillis, long allowedLatenessMillis, int steps, int[] dims)
        implements Serializable {

    public WindowSpec {
        if (sizeMillis <= 0 || slideMillis <= 0 || slideMillis > sizeMillis) {
            throw new IllegalArgumentException("window size must be positive and slide in (0, size]: size="
                    + sizeMillis + " ms, slide=" + slideMillis + " ms");
        }
        if (allowedLatenessMillis < 0) {
            throw new IllegalArgumentException("allowed lateness must not be negative: " + allowedLatenessMillis);
        }
        if (steps <= 0 || dims.length != 3 || Arrays.stream(dims).anyMatch(d -> d <= 0)) {
            throw new IllegalArgumentException("need positive T and three positive dimensions: T=" + steps
                    + ", dims=" + Arrays.toString(dims));
        }
        dims = dims.clone();
    }

    public static WindowSpec from(ReadableConfig config, int steps, int[] dims) {
        return new WindowSpec(config.get(WindowOptions.SIZE).toMillis(), config.get(WindowOptions.SLIDE).toMillis(),
                config.get(WindowOptions.ALLOWED_LATENESS).toMillis(), steps, dims);
    }

    /** Start of the first window (a multiple of the slide) that contains a frame starting at {@code frameStart}. */
    long firstWindowStart(long frameStart) {
        return Math.floorDiv(frameStart - sizeMillis + 1 + slideMillis - 1, slideMillis) * slideMillis;
    }

    /** Start of the last window that overlaps a frame [frameStart, frameEnd) (an instant when equal). */
    long lastWindowStart(long frameStart, long frameEnd) {
        long lastInstant = frameEnd > frameStart ? frameEnd - 1 : frameStart;
        return Math.floorDiv(lastInstant, slideMillis) * slideMillis;
    }

    /** The last event time a window holds: end - 1, as Flink's TimeWindow.maxTimestamp(). */
    long maxTimestamp(long windowStart) {
        return windowStart + sizeMillis - 1;
    }

    /** When the window's state is dropped: frames arriving after the watermark passed this are late. */
    long cleanupTime(long windowStart) {
        return maxTimestamp(windowStart) + allowedLatenessMillis;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WindowSpec other && sizeMillis == other.sizeMillis && slideMillis == other.slideMillis
                && allowedLatenessMillis == other.allowedLatenessMillis && steps == other.steps
                && Arrays.equals(dims, other.dims);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sizeMillis) * 31 + Long.hashCode(slideMillis) * 17 + steps + Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return "WindowSpec{size=" + sizeMillis + "ms, slide=" + slideMillis + "ms, lateness=" + allowedLatenessMillis
                + "ms, T=" + steps + ", dims=" + Arrays.toString(dims) + '}';
    }
}
