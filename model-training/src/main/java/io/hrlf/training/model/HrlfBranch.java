package io.hrlf.training.model;

import io.hrlf.contract.Modality;
import io.hrlf.training.data.FeatureNormalizer;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * One HRLF network (the teacher and the student are two of these with separate parameters):
 * per-modality encoders, FRF (sentiment and modality-specific encoders, a shared decoder and their
 * losses), the hourglass fusion stack whose three scales HMI and HAL compare, and the regression head.
 *
 * <p>Encoder: the features are normalised (training-split statistics, inside the graph so the
 * SavedModel takes raw features); for T &gt; 1 a {@link TemporalEncoder} (Conv1d, positional
 * embedding, Transformer layer) runs over the steps, for T = 1 a dense projection. The steps are
 * pooled by a masked mean over the observed ones (the paper takes the last step, which is often
 * missing here); the observed fraction is appended and a dense layer with LayerNorm gives Z_m.
 */
public final class HrlfBranch {
    /** The three scales of the hourglass: E1 in R^{3d}, E2 in R^{2d}, E3 in R^d. */
    public final List<Operand<TFloat32>> scales;
    /** Sentiment score in [-3, 3], shape [B]. */
    public final Operand<TFloat32> score;
    /** L_trans (self + cross) + L_recon; null when FRF is off. */
    public final Operand<TFloat32> frfLoss;
    public final int[] scaleDims;

    private HrlfBranch(List<Operand<TFloat32>> scales, Operand<TFloat32> score, Operand<TFloat32> frfLoss, int d) {
        this.scales = scales;
        this.score = score;
        this.frfLoss = frfLoss;
        this.scaleDims = new int[] {3 * d, 2 * d, d};
    }

    /**
     * @param x per modality the raw features [B, T, d_m]
     * @param mask per modality [B, T]
     */
    public static HrlfBranch build(Layers layers, Params params, List<? extends Operand<TFloat32>> x,
                                   List<? extends Operand<TFloat32>> mask, int steps, int[] dims,
                                   FeatureNormalizer normalizer, int d, boolean withFrf) {
        Ops tf = layers.tf();
        int half = d / 2;
        List<Operand<TFloat32>> z = new ArrayList<>();
        List<Operand<TFloat32>> q = new ArrayList<>();
        List<Operand<TFloat32>> u = new ArrayList<>();
        List<Layers.Mlp> sentimentEncoders = new ArrayList<>();
        for (Modality m : Modality.ALL) {
            int i = m.ordinal();
            int dm = dims[i];
            Operand<TFloat32> stepMask = tf.expandDims(mask.get(i), tf.constant(-1));
            Operand<TFloat32> centred = tf.math.sub(x.get(i), constant(tf, normalizer.mean(m)));
            Operand<TFloat32> normalised = tf.math.mul(tf.math.div(centred, constant(tf, normalizer.std(m))), stepMask);
            // T > 1: Conv1d + positional embedding + Transformer layer; T = 1: a dense projection
            Operand<TFloat32> projected = steps > 1
                    ? TemporalEncoder.encode(layers, params, m.inputName() + "_tf", normalised, mask.get(i), steps, dm, d)
                    : layers.leaky(layers.dense(params, m.inputName() + "_step", dm, d).applySteps(normalised, steps));
            Operand<TFloat32> observed = tf.expandDims(tf.reduceSum(mask.get(i), tf.constant(1)), tf.constant(-1));
            Operand<TFloat32> pooled = tf.math.div(tf.reduceSum(tf.math.mul(projected, stepMask), tf.constant(1)),
                    tf.math.maximum(observed, tf.constant(1f)));
            Operand<TFloat32> fraction = tf.math.div(observed, tf.constant((float) steps));
            Operand<TFloat32> zm = layers.layerNorm(params, m.inputName() + "_ln",
                    layers.dense(params, m.inputName() + "_enc", d + 1, d)
                            .apply(tf.concat(List.of(pooled, fraction), tf.constant(1))), d);
            Layers.Mlp sentimentEncoder = layers.mlp(params, m.inputName() + "_ES", d, d, half);
            Layers.Mlp modalityEncoder = layers.mlp(params, m.inputName() + "_EM", d, d, half);
            z.add(zm);
            q.add(sentimentEncoder.apply(zm));
            u.add(modalityEncoder.apply(zm));
            sentimentEncoders.add(sentimentEncoder);
        }

        Operand<TFloat32> frfLoss = null;
        if (withFrf) {
            Layers.Mlp decoder = layers.mlp(params, "D_r", 2 * half, d, d);
            Operand<TFloat32> self = null;
            Operand<TFloat32> cross = null;
            Operand<TFloat32> recon = null;
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 3; b++) {
                    // translation Z̄_ab = D_r(Q_a, U_b) should reconstruct Z_b; targets are not moved by it
                    Operand<TFloat32> translated = decoder.apply(tf.concat(List.of(q.get(a), u.get(b)), tf.constant(1)));
                    Operand<TFloat32> distance = layers.meanL2(translated, tf.stopGradient(z.get(b)));
                    if (a == b) {
                        self = self == null ? distance : tf.math.add(self, distance);
                    } else {
                        cross = cross == null ? distance : tf.math.add(cross, distance);
                    }
                    // reconstruction Q̄ = E^S_b(D_r(Q_a, U_b)) should keep b's sentiment code
                    Operand<TFloat32> reencoded = sentimentEncoders.get(b).apply(translated);
                    Operand<TFloat32> keep = layers.meanL2(reencoded, tf.stopGradient(q.get(b)));
                    recon = recon == null ? keep : tf.math.add(recon, keep);
                }
            }
            frfLoss = tf.math.add(tf.math.add(tf.math.div(self, tf.constant(3f)), tf.math.div(cross, tf.constant(6f))),
                    tf.math.div(recon, tf.constant(9f)));
        }

        List<Operand<TFloat32>> parts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            parts.add(q.get(i));
            parts.add(u.get(i));
        }
        Operand<TFloat32> h = tf.concat(parts, tf.constant(1));
        Operand<TFloat32> i1 = layers.leaky(layers.dense(params, "fuse_1", 3 * d, 2 * d).apply(h));
        Operand<TFloat32> i2 = layers.leaky(layers.dense(params, "fuse_2", 2 * d, d).apply(i1));
        Operand<TFloat32> i3 = layers.leaky(layers.dense(params, "fuse_3", d, 2 * d).apply(i2));
        Operand<TFloat32> hTilde = layers.dense(params, "fuse_4", 2 * d, 3 * d).apply(i3);
        Operand<TFloat32> half2 = tf.constant(0.5f);
        List<Operand<TFloat32>> scales = List.of(
                tf.math.mul(tf.math.add(h, hTilde), half2),
                tf.math.mul(tf.math.add(i1, i3), half2),
                i2);
        Operand<TFloat32> logit = layers.mlp(params, "head", 3 * d, d, 1).apply(hTilde);
        Operand<TFloat32> score = tf.math.mul(tf.constant(3f),
                tf.math.tanh(tf.reshape(logit, tf.constant(new int[] {-1}))));
        return new HrlfBranch(scales, score, frfLoss, d);
    }

    private static Operand<TFloat32> constant(Ops tf, float[] values) {
        return tf.constant(Shape.of(values.length), DataBuffers.of(values, true, false));
    }
}
