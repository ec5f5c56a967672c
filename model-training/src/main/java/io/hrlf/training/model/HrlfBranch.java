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
    /**
     * Per modality, a score in [-3, 3] from its sentiment code Q_m alone, and whether the modality is present
     * ([B, 1], 0 or 1); empty when the branch has no unimodal heads.
     */
    public final List<Operand<TFloat32>> unimodalScores;
    public final List<Operand<TFloat32>> present;
    /** The representation [B, d_c] this window leaves for its successors; null without context. */
    public final Operand<TFloat32> representation;
    /**
     * The score the serving signature returns: with context read from the fed {@code serving} context (the
     * remembered representations), without context the same as {@link #score}.
     */
    public final Operand<TFloat32> servingScore;
    /** In the name of each unimodal head's parameters. */
    public static final String UNIMODAL_HEAD = "_uni";

    /**
     * What varies between branches and variants.
     *
     * @param contextWindows K earlier windows read through {@link ContextHead} (0: none)
     * @param contextDim d_c, the length of a window's representation (with K &gt; 0)
     */
    public record Config(int steps, int[] dims, FeatureNormalizer normalizer, int d, boolean frf, boolean modalityGate,
                         boolean dropout, boolean inputNoise, boolean unimodalHeads, int contextWindows,
                         int contextDim) {
        /** A branch without context. */
        public Config(int steps, int[] dims, FeatureNormalizer normalizer, int d, boolean frf, boolean modalityGate,
                      boolean dropout, boolean inputNoise, boolean unimodalHeads) {
            this(steps, dims, normalizer, d, frf, modalityGate, dropout, inputNoise, unimodalHeads, 0, 0);
        }
    }

    /** The fusion stack's three scales, its output H̃ and the head's logit [B]. */
    private record Fused(List<Operand<TFloat32>> scales, Operand<TFloat32> hTilde, Operand<TFloat32> logit) {}

    /** Per modality: Z_m, the sentiment code Q_m, the modality code U_m, the sentiment encoder and presence. */
    private record Codes(List<Operand<TFloat32>> z, List<Operand<TFloat32>> q, List<Operand<TFloat32>> u,
                         List<Layers.Mlp> sentimentEncoders, List<Operand<TFloat32>> present) {}

    private HrlfBranch(List<Operand<TFloat32>> scales, Operand<TFloat32> score, Operand<TFloat32> frfLoss, int d,
                       List<Operand<TFloat32>> unimodalScores, List<Operand<TFloat32>> present,
                       Operand<TFloat32> representation, Operand<TFloat32> servingScore) {
        this.representation = representation;
        this.servingScore = servingScore == null ? score : servingScore;
        this.scales = scales;
        this.score = score;
        this.frfLoss = frfLoss;
        this.scaleDims = new int[] {3 * d, 2 * d, d};
        this.unimodalScores = unimodalScores;
        this.present = present;
    }

    /** The paper's configuration: no modality gate, no dropout, no input noise. */
    public static HrlfBranch build(Layers layers, Params params, List<? extends Operand<TFloat32>> x,
                                   List<? extends Operand<TFloat32>> mask, int steps, int[] dims,
                                   FeatureNormalizer normalizer, int d, boolean withFrf) {
        return build(layers, params, x, mask, new Config(steps, dims, normalizer, d, withFrf, false, false, false, false),
                null, null);
    }

    /**
     * @param x per modality the raw features [B, T, d_m]
     * @param mask per modality [B, T]
     * @param context where the context comes from while training; null for a branch without context (K = 0)
     * @param serving the context the serving signature is fed, read by the same weights; null when not exported
     */
    static HrlfBranch build(Layers layers, Params params, List<? extends Operand<TFloat32>> x,
                            List<? extends Operand<TFloat32>> mask, Config config, ContextHead.Source context,
                            ContextHead.Context serving) {
        Ops tf = layers.tf();
        Codes codes = factorise(layers, params, x, mask, config);
        Operand<TFloat32> frfLoss = config.frf() ? frfLoss(layers, params, codes, config.d()) : null;
        List<Operand<TFloat32>> joint = jointParts(layers, params, codes, config);
        Fused fused = fuse(layers, params, joint, config);
        List<Operand<TFloat32>> unimodal = config.unimodalHeads() ? unimodalScores(layers, params, codes, config.d())
                : List.of();
        if (config.contextWindows() == 0) {
            Operand<TFloat32> score = scoreOf(tf, fused.logit());
            return new HrlfBranch(fused.scales(), score, frfLoss, config.d(), unimodal, codes.present(), null, null);
        }
        ContextHead head = new ContextHead(layers, params, config.d(), config.contextWindows(), config.contextDim());
        Operand<TFloat32> present = tf.concat(codes.present(), tf.constant(1));
        Operand<TFloat32> window = head.window(fused.hTilde(), present);
        Operand<TFloat32> representation = head.representation(window);
        Operand<TFloat32> score = scoreOf(tf,
                tf.math.add(fused.logit(), head.logit(window, present, context.context(representation))));
        Operand<TFloat32> servingScore = serving == null ? null
                : scoreOf(tf, tf.math.add(fused.logit(), head.logit(window, present, serving)));
        return new HrlfBranch(fused.scales(), score, frfLoss, config.d(), unimodal, codes.present(), representation,
                servingScore);
    }

    /**
     * Step 5 (optional): one small regression head per modality on its sentiment code Q_m alone, so each
     * modality's encoder learns to carry sentiment by itself (the unimodal experts of MoMKE, trained
     * jointly here rather than in a separate stage).
     */
    private static List<Operand<TFloat32>> unimodalScores(Layers layers, Params params, Codes codes, int d) {
        Ops tf = layers.tf();
        List<Operand<TFloat32>> scores = new ArrayList<>();
        for (Modality m : Modality.ALL) {
            Operand<TFloat32> logit = layers.dense(params, m.inputName() + UNIMODAL_HEAD, d / 2, 1).apply(codes.q().get(m.ordinal()));
            scores.add(tf.math.mul(tf.constant(3f), tf.math.tanh(tf.reshape(logit, tf.constant(new int[] {-1})))));
        }
        return scores;
    }

    /** Step 1, per modality: normalise, encode the steps, pool them into Z_m, split Z_m into Q_m and U_m. */
    private static Codes factorise(Layers layers, Params params, List<? extends Operand<TFloat32>> x,
                                   List<? extends Operand<TFloat32>> mask, Config config) {
        Ops tf = layers.tf();
        int d = config.d();
        int steps = config.steps();
        Codes codes = new Codes(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>());
        for (Modality m : Modality.ALL) {
            int i = m.ordinal();
            int dm = config.dims()[i];
            Operand<TFloat32> stepMask = tf.expandDims(mask.get(i), tf.constant(-1));
            Operand<TFloat32> centred = tf.math.sub(x.get(i), constant(tf, config.normalizer().mean(m)));
            Operand<TFloat32> normalised = tf.math.div(centred, constant(tf, config.normalizer().std(m)));
            if (config.inputNoise()) {
                normalised = layers.noise(normalised);
            }
            normalised = tf.math.mul(normalised, stepMask); // missing steps stay exactly zero
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
            Layers.Mlp sentimentEncoder = layers.mlp(params, m.inputName() + "_ES", d, d, d / 2);
            Layers.Mlp modalityEncoder = layers.mlp(params, m.inputName() + "_EM", d, d, d / 2);
            codes.z().add(zm);
            codes.q().add(sentimentEncoder.apply(zm));
            codes.u().add(modalityEncoder.apply(zm));
            codes.sentimentEncoders().add(sentimentEncoder);
            codes.present().add(tf.math.minimum(observed, tf.constant(1f)));
        }
        return codes;
    }

    /** Step 2 (FRF only): the translation and reconstruction losses through the shared decoder D_r. */
    private static Operand<TFloat32> frfLoss(Layers layers, Params params, Codes codes, int d) {
        Ops tf = layers.tf();
        Layers.Mlp decoder = layers.mlp(params, "D_r", 2 * (d / 2), d, d);
        Operand<TFloat32> self = null;
        Operand<TFloat32> cross = null;
        Operand<TFloat32> recon = null;
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                // translation Z̄_ab = D_r(Q_a, U_b) should reconstruct Z_b; targets are not moved by it
                Operand<TFloat32> translated = decoder.apply(tf.concat(List.of(codes.q().get(a), codes.u().get(b)),
                        tf.constant(1)));
                Operand<TFloat32> distance = layers.meanL2(translated, tf.stopGradient(codes.z().get(b)));
                if (a == b) {
                    self = self == null ? distance : tf.math.add(self, distance);
                } else {
                    cross = cross == null ? distance : tf.math.add(cross, distance);
                }
                // reconstruction Q̄ = E^S_b(D_r(Q_a, U_b)) should keep b's sentiment code
                Operand<TFloat32> reencoded = codes.sentimentEncoders().get(b).apply(translated);
                Operand<TFloat32> keep = layers.meanL2(reencoded, tf.stopGradient(codes.q().get(b)));
                recon = recon == null ? keep : tf.math.add(recon, keep);
            }
        }
        return tf.math.add(tf.math.add(tf.math.div(self, tf.constant(3f)), tf.math.div(cross, tf.constant(6f))),
                tf.math.div(recon, tf.constant(9f)));
    }

    /**
     * Step 3: C_m = [Q_m, U_m] per modality, weighted (with the gate) by a learned per-sample softmax over
     * the present modalities times their count, so an absent modality contributes nothing and equal
     * weights leave C_m as it is (a ComP-style weighting of the present modalities).
     */
    private static List<Operand<TFloat32>> jointParts(Layers layers, Params params, Codes codes, Config config) {
        Ops tf = layers.tf();
        List<Operand<TFloat32>> c = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            c.add(tf.concat(List.of(codes.q().get(i), codes.u().get(i)), tf.constant(1)));
        }
        if (!config.modalityGate()) {
            return c;
        }
        List<Operand<TFloat32>> scores = new ArrayList<>();
        Operand<TFloat32> total = tf.constant(1e-6f);
        Operand<TFloat32> presentCount = tf.constant(0f);
        for (Modality m : Modality.ALL) {
            int i = m.ordinal();
            Operand<TFloat32> logit = layers.dense(params, m.inputName() + "_gate", 2 * (config.d() / 2), 1)
                    .apply(tf.stopGradient(c.get(i)));
            // exp of a bounded logit, zero for an absent modality
            Operand<TFloat32> weight = tf.math.mul(codes.present().get(i), tf.math.exp(tf.math.tanh(logit)));
            scores.add(weight);
            total = tf.math.add(total, weight);
            presentCount = tf.math.add(presentCount, codes.present().get(i));
        }
        List<Operand<TFloat32>> gated = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Operand<TFloat32> share = tf.math.mul(tf.math.div(scores.get(i), total), presentCount);
            gated.add(tf.math.mul(c.get(i), share));
        }
        return gated;
    }

    /** Step 4: the hourglass 3d -> 2d -> d -> 2d -> 3d, its three scales, and the head's logit on H̃. */
    private static Fused fuse(Layers layers, Params params, List<Operand<TFloat32>> joint, Config config) {
        Ops tf = layers.tf();
        int d = config.d();
        Operand<TFloat32> h = tf.concat(joint, tf.constant(1));
        Operand<TFloat32> i1 = maybeDropout(layers, config,
                layers.leaky(layers.dense(params, "fuse_1", 3 * d, 2 * d).apply(maybeDropout(layers, config, h))));
        Operand<TFloat32> i2 = maybeDropout(layers, config,
                layers.leaky(layers.dense(params, "fuse_2", 2 * d, d).apply(i1)));
        Operand<TFloat32> i3 = maybeDropout(layers, config,
                layers.leaky(layers.dense(params, "fuse_3", d, 2 * d).apply(i2)));
        Operand<TFloat32> hTilde = layers.dense(params, "fuse_4", 2 * d, 3 * d).apply(i3);
        Operand<TFloat32> half = tf.constant(0.5f);
        List<Operand<TFloat32>> scales = List.of(
                tf.math.mul(tf.math.add(h, hTilde), half),
                tf.math.mul(tf.math.add(i1, i3), half),
                i2);
        Operand<TFloat32> logit = layers.mlp(params, "head", 3 * d, d, 1).apply(hTilde);
        return new Fused(scales, hTilde, tf.reshape(logit, tf.constant(new int[] {-1})));
    }

    /** A logit [B] as a score in [-3, 3]. */
    private static Operand<TFloat32> scoreOf(Ops tf, Operand<TFloat32> logit) {
        return tf.math.mul(tf.constant(3f), tf.math.tanh(logit));
    }

    private static Operand<TFloat32> maybeDropout(Layers layers, Config config, Operand<TFloat32> x) {
        return config.dropout() ? layers.dropout(x) : x;
    }

    private static Operand<TFloat32> constant(Ops tf, float[] values) {
        return tf.constant(Shape.of(values.length), DataBuffers.of(values, true, false));
    }
}
