package io.hrlf.model;

import io.hrlf.contract.ContextSpec;
import java.util.List;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * The context inputs of one batch ({@link ContextSpec}): per row up to K earlier representations of
 * d_c floats, oldest first and right-aligned so that the newest is always in slot K-1 whatever the
 * count; leading unused slots are zero with mask 0. Row-major plain arrays, like {@link ModelInput}.
 */
public final class ContextBatch {
    private final int batchSize;
    private final int windows;
    private final int dimension;
    private final float[] values;
    private final float[] mask;

    /** A batch in which every row has no context yet (all slots empty). */
    public ContextBatch(int batchSize, int windows, int dimension) {
        if (batchSize <= 0 || windows <= 0 || dimension <= 0) {
            throw new IllegalArgumentException("batch size, K and d_c must be positive: " + batchSize + ", " + windows
                    + ", " + dimension);
        }
        this.batchSize = batchSize;
        this.windows = windows;
        this.dimension = dimension;
        this.values = new float[batchSize * windows * dimension];
        this.mask = new float[batchSize * windows];
    }

    public static ContextBatch empty(int batchSize, ContextSpec spec) {
        return new ContextBatch(batchSize, spec.windows(), spec.dimension());
    }

    /**
     * Sets row {@code row}'s context to {@code earlier} (oldest first); more than K keeps the newest K.
     * Each representation must hold d_c values.
     */
    public void setRow(int row, List<float[]> earlier) {
        int n = Math.min(earlier.size(), windows);
        int skip = earlier.size() - n;
        for (int i = 0; i < n; i++) {
            float[] representation = earlier.get(skip + i);
            if (representation.length != dimension) {
                throw new IllegalArgumentException("a representation must hold d_c=" + dimension + " values, got "
                        + representation.length);
            }
            int slot = windows - n + i;
            System.arraycopy(representation, 0, values, (row * windows + slot) * dimension, dimension);
            mask[row * windows + slot] = 1f;
        }
    }

    public int batchSize() {
        return batchSize;
    }

    public int windows() {
        return windows;
    }

    public int dimension() {
        return dimension;
    }

    /** The [B*K*d_c] values; writable. */
    public float[] values() {
        return values;
    }

    /** The [B*K] mask; writable. */
    public float[] mask() {
        return mask;
    }

    /** The context values tensor [B, K, d_c]; the caller closes it. */
    Tensor valuesTensor() {
        return TFloat32.tensorOf(Shape.of(batchSize, windows, dimension), DataBuffers.of(values, true, false));
    }

    /** The context mask tensor [B, K]; the caller closes it. */
    Tensor maskTensor() {
        return TFloat32.tensorOf(Shape.of(batchSize, windows), DataBuffers.of(mask, true, false));
    }
}
