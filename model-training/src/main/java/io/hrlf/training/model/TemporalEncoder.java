package io.hrlf.training.model;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The paper's per-modality encoder for sequences (T &gt; 1): a temporal convolution with kernel 3,
 * sinusoidal positional embeddings, and one Transformer encoder layer (multi-head self-attention
 * over the observed steps, feed-forward, residuals and LayerNorm). Attention is written with
 * broadcast products and sums so that every op has a TensorFlow C++ gradient (graph mode in Java
 * can only differentiate those); T is small (a window's steps), so the T x T products are cheap.
 */
final class TemporalEncoder {
    /** The paper uses 10 heads on MOSI; the largest of these that divides d is taken. */
    private static final int[] HEAD_CHOICES = {10, 8, 5, 4, 2, 1};
    private static final float MASKED = -1e9f;

    private TemporalEncoder() {}

    static int heads(int d) {
        for (int h : HEAD_CHOICES) {
            if (d % h == 0) {
                return h;
            }
        }
        return 1;
    }

    /**
     * @param x normalised features [B, T, dm], zero at missing steps
     * @param mask [B, T]
     * @return [B, T, d]
     */
    static Operand<TFloat32> encode(Layers layers, Params params, String name, Operand<TFloat32> x,
                                    Operand<TFloat32> mask, int steps, int dm, int d) {
        Ops tf = layers.tf();
        // Conv1d, kernel 3, 'same' padding: the step and its two neighbours, projected together
        Operand<TFloat32> padded = tf.pad(x, tf.constant(new int[][] {{0, 0}, {1, 1}, {0, 0}}), tf.constant(0f));
        Operand<TFloat32> window = tf.concat(java.util.List.of(
                tf.slice(padded, tf.constant(new int[] {0, 0, 0}), tf.constant(new int[] {-1, steps, dm})),
                tf.slice(padded, tf.constant(new int[] {0, 1, 0}), tf.constant(new int[] {-1, steps, dm})),
                tf.slice(padded, tf.constant(new int[] {0, 2, 0}), tf.constant(new int[] {-1, steps, dm}))),
                tf.constant(2));
        Operand<TFloat32> h = tf.math.add(layers.dense(params, name + "_conv", 3 * dm, d).applySteps(window, steps),
                positionalEncoding(tf, steps, d));

        Operand<TFloat32> attended = selfAttention(layers, params, name, h, mask, steps, d);
        h = layers.layerNorm(params, name + "_ln1", tf.math.add(h, attended), d);
        Operand<TFloat32> feedForward = layers.dense(params, name + "_ff2", 2 * d, d).applySteps(
                layers.leaky(layers.dense(params, name + "_ff1", d, 2 * d).applySteps(h, steps)), steps);
        return layers.layerNorm(params, name + "_ln2", tf.math.add(h, feedForward), d);
    }

    private static Operand<TFloat32> selfAttention(Layers layers, Params params, String name, Operand<TFloat32> h,
                                                   Operand<TFloat32> mask, int steps, int d) {
        Ops tf = layers.tf();
        int heads = heads(d);
        int dh = d / heads;
        Operand<TFloat32> q = splitHeads(tf, layers.dense(params, name + "_q", d, d).applySteps(h, steps), steps, heads, dh);
        Operand<TFloat32> k = splitHeads(tf, layers.dense(params, name + "_k", d, d).applySteps(h, steps), steps, heads, dh);
        Operand<TFloat32> v = splitHeads(tf, layers.dense(params, name + "_v", d, d).applySteps(h, steps), steps, heads, dh);
        // scores[b,h,i,j] = q[b,h,i,:] . k[b,h,j,:] / sqrt(dh)
        Operand<TFloat32> scores = tf.math.div(
                tf.reduceSum(tf.math.mul(tf.expandDims(q, tf.constant(3)), tf.expandDims(k, tf.constant(2))),
                        tf.constant(4)),
                tf.constant((float) Math.sqrt(dh)));
        // missing steps are never attended to
        Operand<TFloat32> keyBias = tf.reshape(tf.math.mul(tf.math.sub(tf.constant(1f), mask), tf.constant(MASKED)),
                tf.constant(new int[] {-1, 1, 1, steps}));
        Operand<TFloat32> weights = tf.nn.softmax(tf.math.add(scores, keyBias));
        // out[b,h,i,:] = sum_j weights[b,h,i,j] v[b,h,j,:]
        Operand<TFloat32> out = tf.reduceSum(
                tf.math.mul(tf.expandDims(weights, tf.constant(4)), tf.expandDims(v, tf.constant(2))), tf.constant(3));
        Operand<TFloat32> merged = tf.reshape(tf.linalg.transpose(out, tf.constant(new int[] {0, 2, 1, 3})),
                tf.constant(new int[] {-1, steps, d}));
        return layers.dense(params, name + "_o", d, d).applySteps(merged, steps);
    }

    /** [B, T, d] -> [B, heads, T, dh]. */
    private static Operand<TFloat32> splitHeads(Ops tf, Operand<TFloat32> x, int steps, int heads, int dh) {
        return tf.linalg.transpose(tf.reshape(x, tf.constant(new int[] {-1, steps, heads, dh})),
                tf.constant(new int[] {0, 2, 1, 3}));
    }

    /** The Transformer's sinusoidal positional embedding, [T, d]. */
    static Operand<TFloat32> positionalEncoding(Ops tf, int steps, int d) {
        float[] pe = new float[steps * d];
        for (int t = 0; t < steps; t++) {
            for (int i = 0; i < d; i++) {
                double angle = t / Math.pow(10_000, (2 * (i / 2)) / (double) d);
                pe[t * d + i] = (float) (i % 2 == 0 ? Math.sin(angle) : Math.cos(angle));
            }
        }
        return tf.constant(Shape.of(steps, d), DataBuffers.of(pe, true, false));
    }
}
