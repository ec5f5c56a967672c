package io.hrlf.binning;

import java.util.Arrays;

/**
 * Running per-bin sums and counts of one modality's frames in one window: T bins of d values. The
 * value of a bin is the mean of the frames that overlap it (the CMU-MultimodalSDK's averaging
 * collapse); a bin no frame touched is a zero vector with mask 0.
 *
 * <p>Mutable and not thread-safe. Its raw arrays are exposed for state serializers.
 */
public final class BinAccumulator {
    private final int steps;
    private final int dimension;
    private final float[] sums;
    private final int[] counts;
    private int frames;

    public BinAccumulator(int steps, int dimension) {
        this(steps, dimension, new float[steps * dimension], new int[steps], 0);
    }

    /** Rebuilds an accumulator from its raw state (for serializers); takes ownership of the arrays. */
    public BinAccumulator(int steps, int dimension, float[] sums, int[] counts, int frames) {
        if (steps <= 0 || dimension <= 0) {
            throw new IllegalArgumentException("steps and dimension must be positive: " + steps + ", " + dimension);
        }
        if (sums.length != steps * dimension || counts.length != steps) {
            throw new IllegalArgumentException("state arrays do not match " + steps + " x " + dimension);
        }
        this.steps = steps;
        this.dimension = dimension;
        this.sums = sums;
        this.counts = counts;
        this.frames = frames;
    }

    /**
     * Adds one frame to every bin of {@code bins} it overlaps.
     *
     * @param values holds the frame's d values at {@code offset}
     * @return whether the frame overlapped the window at all
     */
    public boolean add(TimeBins bins, double frameStart, double frameEnd, float[] values, int offset) {
        if (bins.steps() != steps) {
            throw new IllegalArgumentException("bins have " + bins.steps() + " steps, accumulator " + steps);
        }
        int first = bins.firstBin(frameStart, frameEnd);
        if (first < 0) {
            return false;
        }
        int last = bins.lastBin(frameStart, frameEnd);
        for (int bin = first; bin <= last; bin++) {
            int base = bin * dimension;
            for (int j = 0; j < dimension; j++) {
                sums[base + j] += values[offset + j];
            }
            counts[bin]++;
        }
        frames++;
        return true;
    }

    public void merge(BinAccumulator other) {
        if (other.steps != steps || other.dimension != dimension) {
            throw new IllegalArgumentException("cannot merge " + other.steps + "x" + other.dimension
                    + " into " + steps + "x" + dimension);
        }
        for (int i = 0; i < sums.length; i++) {
            sums[i] += other.sums[i];
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        frames += other.frames;
    }

    /** Writes T x d bin means (zero for unobserved bins) into {@code dst} at {@code offset}. */
    public void writeMeans(float[] dst, int offset) {
        for (int bin = 0; bin < steps; bin++) {
            int base = bin * dimension;
            int count = counts[bin];
            for (int j = 0; j < dimension; j++) {
                dst[offset + base + j] = count == 0 ? 0f : sums[base + j] / count;
            }
        }
    }

    /** Writes the T mask values (1 observed, 0 missing) into {@code dst} at {@code offset}. */
    public void writeMask(float[] dst, int offset) {
        for (int bin = 0; bin < steps; bin++) {
            dst[offset + bin] = counts[bin] > 0 ? 1f : 0f;
        }
    }

    public int observedSteps() {
        int observed = 0;
        for (int count : counts) {
            if (count > 0) {
                observed++;
            }
        }
        return observed;
    }

    /** Fraction of the T bins that at least one frame touched, in [0, 1]. */
    public float completeness() {
        return observedSteps() / (float) steps;
    }

    public int frames() {
        return frames;
    }

    public int steps() {
        return steps;
    }

    public int dimension() {
        return dimension;
    }

    /** Raw state for serializers; do not modify. */
    public float[] rawSums() {
        return sums;
    }

    /** Raw state for serializers; do not modify. */
    public int[] rawCounts() {
        return counts;
    }

    public BinAccumulator copy() {
        return new BinAccumulator(steps, dimension, sums.clone(), counts.clone(), frames);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BinAccumulator other
                && steps == other.steps && dimension == other.dimension && frames == other.frames
                && Arrays.equals(sums, other.sums) && Arrays.equals(counts, other.counts);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(sums) + Arrays.hashCode(counts) + frames;
    }
}
