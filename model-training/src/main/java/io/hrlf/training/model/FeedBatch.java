package io.hrlf.training.model;

import io.hrlf.contract.Modality;
import io.hrlf.training.context.ContextSlots;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The tensors fed for one batch; closing it frees their native memory. Several steps can run on the
 * same batch (the discriminators', then the student's) without building its tensors twice.
 */
public final class FeedBatch implements AutoCloseable {
    private final Session session;
    private final List<Operand<TFloat32>> placeholders = new ArrayList<>();
    private final List<TFloat32> tensors = new ArrayList<>();

    public FeedBatch(Session session) {
        this.session = session;
    }

    /** A new runner with every tensor of this batch fed; add targets and fetches, then run it once. */
    public Session.Runner runner() {
        Session.Runner runner = session.runner();
        for (int i = 0; i < tensors.size(); i++) {
            runner.feed(placeholders.get(i), tensors.get(i));
        }
        return runner;
    }

    /** Feeds rows [from, to) of per-modality arrays into the given placeholders. */
    public FeedBatch inputs(List<Placeholder<TFloat32>> inputs, List<Placeholder<TFloat32>> masks, float[][] values,
                            float[][] maskValues, int[] rows, int steps, int[] dims) {
        for (Modality m : Modality.ALL) {
            int i = m.ordinal();
            int width = steps * dims[i];
            float[] v = new float[rows.length * width];
            float[] k = new float[rows.length * steps];
            for (int r = 0; r < rows.length; r++) {
                System.arraycopy(values[i], rows[r] * width, v, r * width, width);
                System.arraycopy(maskValues[i], rows[r] * steps, k, r * steps, steps);
            }
            feed(inputs.get(i), Shape.of(rows.length, steps, dims[i]), v);
            feed(masks.get(i), Shape.of(rows.length, steps), k);
        }
        return this;
    }

    public FeedBatch labels(Placeholder<TFloat32> labels, float[] all, int[] rows) {
        float[] y = new float[rows.length];
        for (int r = 0; r < rows.length; r++) {
            y[r] = all[rows[r]];
        }
        feed(labels, Shape.of(rows.length), y);
        return this;
    }

    /** Feeds the context slots of the batch's rows, in the order their inputs were fed. */
    public FeedBatch context(Placeholder<TFloat32> selection, Placeholder<TFloat32> mask, ContextSlots slots) {
        int rows = slots.rows();
        int k = slots.windows();
        feed(selection, Shape.of((long) rows * k, rows), slots.selection());
        feed(mask, Shape.of(rows, k), slots.mask());
        return this;
    }

    /** Feeds one scalar, e.g. a training-only dropout rate. */
    public FeedBatch scalar(Operand<TFloat32> input, float value) {
        feed(input, Shape.scalar(), new float[] {value});
        return this;
    }

    private void feed(Operand<TFloat32> placeholder, Shape shape, float[] data) {
        TFloat32 tensor = TFloat32.tensorOf(shape, DataBuffers.of(data, true, false));
        placeholders.add(placeholder);
        tensors.add(tensor);
    }

    @Override
    public void close() {
        tensors.forEach(TFloat32::close);
    }
}
