package io.hrlf.model;

import io.hrlf.contract.Modality;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * One batch in the layout of the tensor contract: per modality, values [B, T, d_m] and mask [B, T],
 * row-major in plain float arrays. Unobserved steps must be zero vectors with mask 0.
 */
public final class ModelInput {
    private final int batchSize;
    private final int steps;
    private final int[] dims;
    private final float[][] values;
    private final float[][] masks;

    /** A zeroed batch: every step of every modality missing until rows are set. */
    public ModelInput(int batchSize, int steps, int[] dims) {
        if (batchSize <= 0 || steps <= 0) {
            throw new IllegalArgumentException("batch size and steps must be positive: " + batchSize + ", " + steps);
        }
        if (dims.length != Modality.ALL.size()) {
            throw new IllegalArgumentException("need one dimension per modality, got " + dims.length);
        }
        this.batchSize = batchSize;
        this.steps = steps;
        this.dims = dims.clone();
        this.values = new float[dims.length][];
        this.masks = new float[dims.length][];
        for (Modality m : Modality.ALL) {
            values[m.ordinal()] = new float[batchSize * steps * dims[m.ordinal()]];
            masks[m.ordinal()] = new float[batchSize * steps];
        }
    }

    /** Wraps existing arrays (no copy); each must hold exactly B*T*d_m values and B*T mask entries. */
    public ModelInput(int batchSize, int steps, int[] dims, float[][] values, float[][] masks) {
        this.batchSize = batchSize;
        this.steps = steps;
        this.dims = dims.clone();
        this.values = values;
        this.masks = masks;
        for (Modality m : Modality.ALL) {
            int i = m.ordinal();
            if (values[i].length != batchSize * steps * dims[i] || masks[i].length != batchSize * steps) {
                throw new IllegalArgumentException(m.inputName() + " arrays do not match [" + batchSize + ", "
                        + steps + ", " + dims[i] + "]: values " + values[i].length + ", mask " + masks[i].length);
            }
        }
    }

    public int batchSize() {
        return batchSize;
    }

    public int steps() {
        return steps;
    }

    public int dim(Modality modality) {
        return dims[modality.ordinal()];
    }

    public int[] dims() {
        return dims.clone();
    }

    /** The [B*T*d] values of one modality; writable. */
    public float[] values(Modality modality) {
        return values[modality.ordinal()];
    }

    /** The [B*T] mask of one modality; writable. */
    public float[] mask(Modality modality) {
        return masks[modality.ordinal()];
    }

    /** Copies one sample's T*d values and T mask entries of one modality into row {@code row}. */
    public void setRow(int row, Modality modality, float[] valuesTd, float[] maskT) {
        int d = dims[modality.ordinal()];
        if (valuesTd.length != steps * d || maskT.length != steps) {
            throw new IllegalArgumentException(modality.inputName() + " row must hold " + steps + "x" + d
                    + " values and " + steps + " mask entries, got " + valuesTd.length + " and " + maskT.length);
        }
        System.arraycopy(valuesTd, 0, values[modality.ordinal()], row * steps * d, steps * d);
        System.arraycopy(maskT, 0, masks[modality.ordinal()], row * steps, steps);
    }

    /**
     * This batch as the model's feeds, keyed by the serving signature's input names (values [B, T, d_m]
     * and mask [B, T] per modality). The caller owns the tensors and must close every one.
     */
    public Map<String, Tensor> toFeeds() {
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        try {
            for (Modality m : Modality.ALL) {
                feeds.put(m.inputName(), TFloat32.tensorOf(Shape.of(batchSize, steps, dims[m.ordinal()]),
                        DataBuffers.of(values(m), true, false)));
                feeds.put(m.maskName(), TFloat32.tensorOf(Shape.of(batchSize, steps), DataBuffers.of(mask(m), true, false)));
            }
            return feeds;
        } catch (RuntimeException e) {
            feeds.values().forEach(Tensor::close);
            throw e;
        }
    }
}
