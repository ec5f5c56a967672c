package io.hrlf.binning;

/**
 * A window [start, end) cut into {@code steps} equal bins, in any time unit (seconds for CSD
 * intervals, epoch milliseconds for the stream). Maps a frame [frameStart, frameEnd) to the bins it
 * overlaps. The same arithmetic serves training data and the stream, so the model sees one thing.
 *
 * <p>A frame overlaps bin i = [b_i, b_{i+1}) when frameStart &lt; b_{i+1} and frameEnd &gt; b_i; a
 * zero-length frame (an instant) belongs to the bin that contains it.
 */
public final class TimeBins {
    private final double start;
    private final double end;
    private final int steps;

    public TimeBins(double start, double end, int steps) {
        if (!(end > start)) {
            throw new IllegalArgumentException("window end " + end + " must be after start " + start);
        }
        if (steps <= 0) {
            throw new IllegalArgumentException("steps must be positive, got " + steps);
        }
        this.start = start;
        this.end = end;
        this.steps = steps;
    }

    public double start() {
        return start;
    }

    public double end() {
        return end;
    }

    public int steps() {
        return steps;
    }

    /** Fractional bin position of a time; multiplying before dividing keeps integer inputs exact. */
    private double position(double time) {
        return (time - start) * steps / (end - start);
    }

    /** First bin the frame overlaps, or -1 when it lies outside the window. */
    public int firstBin(double frameStart, double frameEnd) {
        if (!overlapsWindow(frameStart, frameEnd)) {
            return -1;
        }
        return clamp((int) Math.floor(position(frameStart)));
    }

    /** Last bin (inclusive) the frame overlaps, or -1 when it lies outside the window. */
    public int lastBin(double frameStart, double frameEnd) {
        if (!overlapsWindow(frameStart, frameEnd)) {
            return -1;
        }
        if (frameEnd == frameStart) {
            return clamp((int) Math.floor(position(frameStart)));
        }
        return clamp((int) Math.ceil(position(frameEnd)) - 1);
    }

    public boolean overlapsWindow(double frameStart, double frameEnd) {
        if (frameEnd < frameStart) {
            return false;
        }
        if (frameEnd == frameStart) {
            return frameStart >= start && frameStart < end;
        }
        return frameStart < end && frameEnd > start;
    }

    private int clamp(int bin) {
        return Math.max(0, Math.min(steps - 1, bin));
    }
}
