package io.hrlf.training.data;

import io.hrlf.contract.Modality;
import java.util.Arrays;

/**
 * N samples in the layout of the tensor contract: per modality values [N*T*d] row-major and masks
 * [N*T]; a sentiment label in [-3, 3] and the video each sample comes from (splits go by video).
 * Treated as immutable: methods that change inputs return a new dataset.
 */
public final class MultimodalDataset {
    private final int steps;
    private final int[] dims;
    private final float[][] values;
    private final float[][] masks;
    private final float[] labels;
    private final String[] videoIds;
    private final Segment[] segments;
    private final String description;

    /**
     * Where a sample comes from, for per-segment outputs (the evaluate command's predictions file).
     *
     * @param id the segment's id; for CMU-MOSI {@code <video>_<position in the video, from 1>}, as in segments.csv
     * @param start start of the segment in seconds (NaN when unknown, e.g. generated data)
     * @param end end of the segment in seconds (NaN when unknown)
     */
    public record Segment(String id, String video, double start, double end) {}

    /** Samples without timing: each is named {@code <video>#<row>}. */
    public MultimodalDataset(int steps, int[] dims, float[][] values, float[][] masks, float[] labels,
                             String[] videoIds, String description) {
        this(steps, dims, values, masks, labels, untimed(videoIds), description);
    }

    public MultimodalDataset(int steps, int[] dims, float[][] values, float[][] masks, float[] labels,
                             Segment[] segments, String description) {
        int n = labels.length;
        if (segments.length != n) {
            throw new IllegalArgumentException(segments.length + " segments for " + n + " labels");
        }
        for (Modality m : Modality.ALL) {
            int i = m.ordinal();
            if (values[i].length != n * steps * dims[i] || masks[i].length != n * steps) {
                throw new IllegalArgumentException(m.inputName() + " arrays do not hold " + n + " x " + steps + " x "
                        + dims[i]);
            }
        }
        this.steps = steps;
        this.dims = dims.clone();
        this.values = values;
        this.masks = masks;
        this.labels = labels;
        this.segments = segments;
        this.videoIds = Arrays.stream(segments).map(Segment::video).toArray(String[]::new);
        this.description = description;
    }

    public int size() {
        return labels.length;
    }

    public int steps() {
        return steps;
    }

    public int dim(Modality m) {
        return dims[m.ordinal()];
    }

    public int[] dims() {
        return dims.clone();
    }

    public float[] values(Modality m) {
        return values[m.ordinal()];
    }

    public float[] masks(Modality m) {
        return masks[m.ordinal()];
    }

    /** Every modality's values, indexed by {@link Modality#ordinal()}; shared, do not modify. */
    public float[][] allValues() {
        return values;
    }

    /** Every modality's masks, indexed by {@link Modality#ordinal()}; shared, do not modify. */
    public float[][] allMasks() {
        return masks;
    }

    public float[] labels() {
        return labels;
    }

    public String[] videoIds() {
        return videoIds;
    }

    /** The sample's origin; shared, do not modify. */
    public Segment[] segments() {
        return segments;
    }

    public String description() {
        return description;
    }

    /** A copy of the given rows, in the given order. */
    public MultimodalDataset subset(int[] indices) {
        float[][] v = new float[3][];
        float[][] k = new float[3][];
        for (Modality m : Modality.ALL) {
            int i = m.ordinal();
            int rowValues = steps * dims[i];
            v[i] = new float[indices.length * rowValues];
            k[i] = new float[indices.length * steps];
            for (int r = 0; r < indices.length; r++) {
                System.arraycopy(values[i], indices[r] * rowValues, v[i], r * rowValues, rowValues);
                System.arraycopy(masks[i], indices[r] * steps, k[i], r * steps, steps);
            }
        }
        float[] y = new float[indices.length];
        Segment[] origin = new Segment[indices.length];
        for (int r = 0; r < indices.length; r++) {
            y[r] = labels[indices[r]];
            origin[r] = segments[indices[r]];
        }
        return new MultimodalDataset(steps, dims, v, k, y, origin, description);
    }

    /** Same samples and labels with other inputs (e.g. after applying missingness). */
    public MultimodalDataset withInputs(float[][] newValues, float[][] newMasks) {
        return new MultimodalDataset(steps, dims, newValues, newMasks, labels, segments, description);
    }

    private static Segment[] untimed(String[] videoIds) {
        Segment[] out = new Segment[videoIds.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = new Segment(videoIds[i] + "#" + i, videoIds[i], Double.NaN, Double.NaN);
        }
        return out;
    }

    /** Deep copies of the inputs, for code that changes them in place. */
    public float[][] copyValues() {
        return Arrays.stream(values).map(float[]::clone).toArray(float[][]::new);
    }

    public float[][] copyMasks() {
        return Arrays.stream(masks).map(float[]::clone).toArray(float[][]::new);
    }
}
