package io.hrlf.training.model;

import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.op.random.RandomStandardNormal;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;

/**
 * The few layer types HRLF needs, in TensorFlow graph mode, with seeded Glorot-uniform weights so a
 * training run is reproducible from its seed. Each layer's variables join the {@link Params} group
 * that will train them.
 */
public final class Layers {
    /** LeakyReLU slope: plain ReLU in the fusion stack collapsed in the trial port (see README). */
    public static final float LEAKY_SLOPE = 0.2f;
    private static final float LAYER_NORM_EPSILON = 1e-5f;

    /** Name of the dropout-rate input; 0 unless a training step feeds it. */
    public static final String DROPOUT_RATE = "train_dropout_rate";
    /** Name of the input-noise input (a standard deviation in normalised units); 0 unless a training step feeds it. */
    public static final String INPUT_NOISE = "train_input_noise";

    private final Ops tf;
    private final Random init;
    /** Seeds of the random ops: a stream apart from the weights', so adding dropout leaves the initial weights as they were. */
    private final Random opSeeds;
    private final Operand<TFloat32> dropoutRate;
    private final Operand<TFloat32> inputNoise;

    private final long seed;

    public Layers(Ops tf, long seed) {
        this.tf = tf;
        this.seed = seed;
        this.init = new Random(seed);
        this.opSeeds = new Random(~seed);
        // defaults of 0 make dropout and noise identities wherever nothing feeds them (prediction, serving)
        this.dropoutRate = tf.withName(DROPOUT_RATE).placeholderWithDefault(tf.constant(0f), Shape.scalar());
        this.inputNoise = tf.withName(INPUT_NOISE).placeholderWithDefault(tf.constant(0f), Shape.scalar());
    }

    private Layers(Layers shared, long seed) {
        this.tf = shared.tf;
        this.seed = seed;
        this.init = new Random(seed);
        this.opSeeds = new Random(~seed);
        this.dropoutRate = shared.dropoutRate;
        this.inputNoise = shared.inputNoise;
    }

    /**
     * The same graph and training inputs, with weights drawn from a stream of their own (named by
     * {@code purpose}): layers added through it leave every other layer's initial weights as they were.
     */
    public Layers apart(String purpose) {
        return new Layers(this, seed * 31 + purpose.hashCode());
    }

    public Operand<TFloat32> dropoutRate() {
        return dropoutRate;
    }

    public Operand<TFloat32> inputNoise() {
        return inputNoise;
    }

    /** Inverted dropout at the fed rate; its random stream is seeded from the run's seed. */
    public Operand<TFloat32> dropout(Operand<TFloat32> x) {
        Operand<TFloat32> keep = tf.math.sub(tf.constant(1f), dropoutRate);
        Operand<TFloat32> uniform = tf.random.randomUniform(tf.shape(x), TFloat32.class,
                RandomUniform.seed(opSeeds.nextLong()), RandomUniform.seed2(opSeeds.nextLong()));
        Operand<TFloat32> kept = tf.math.floor(tf.math.add(keep, uniform));
        return tf.math.div(tf.math.mul(x, kept), keep);
    }

    /** x plus Gaussian noise of the fed standard deviation, seeded from the run's seed. */
    public Operand<TFloat32> noise(Operand<TFloat32> x) {
        Operand<TFloat32> normal = tf.random.randomStandardNormal(tf.shape(x), TFloat32.class,
                RandomStandardNormal.seed(opSeeds.nextLong()), RandomStandardNormal.seed2(opSeeds.nextLong()));
        return tf.math.add(x, tf.math.mul(inputNoise, normal));
    }

    /** Half the sum of squares of the group's weight matrices (the L2 penalty of weight decay). */
    public Operand<TFloat32> l2(Params params) {
        Operand<TFloat32> total = tf.constant(0f);
        for (Variable<TFloat32> w : params.weightMatrices()) {
            total = tf.math.add(total, tf.nn.l2Loss(w));
        }
        return total;
    }

    public Ops tf() {
        return tf;
    }

    /** A fully connected layer whose weights can be applied to several inputs (shared layers). */
    public final class Dense {
        private final Variable<TFloat32> weight;
        private final Variable<TFloat32> bias;
        private final int in;
        private final int out;

        private Dense(Params params, String name, int in, int out) {
            this(params, name, in, out, false);
        }

        private Dense(Params params, String name, int in, int out, boolean zero) {
            float limit = (float) Math.sqrt(6.0 / (in + out));
            float[] w = new float[in * out];
            for (int i = 0; i < w.length && !zero; i++) {
                w[i] = (init.nextFloat() * 2 - 1) * limit;
            }
            this.weight = variable(params, name + "_w", Shape.of(in, out), w);
            params.addWeightMatrix(weight);
            this.bias = variable(params, name + "_b", Shape.of(out), new float[out]);
            this.in = in;
            this.out = out;
        }

        /** x [B, in] -> [B, out]. */
        public Operand<TFloat32> apply(Operand<TFloat32> x) {
            return tf.math.add(tf.linalg.matMul(x, weight), bias);
        }

        /** x [B, T, in] -> [B, T, out], the same weights at every step. */
        public Operand<TFloat32> applySteps(Operand<TFloat32> x, int steps) {
            Operand<TFloat32> flat = tf.reshape(x, tf.constant(new int[] {-1, in}));
            return tf.reshape(apply(flat), tf.constant(new int[] {-1, steps, out}));
        }
    }

    /** Two layers in -> hidden (LeakyReLU) -> out, reusable on several inputs. */
    public final class Mlp {
        private final Dense first;
        private final Dense second;

        private Mlp(Params params, String name, int in, int hidden, int out, boolean zeroOutput) {
            this.first = new Dense(params, name + "_1", in, hidden);
            this.second = new Dense(params, name + "_2", hidden, out, zeroOutput);
        }

        public Operand<TFloat32> apply(Operand<TFloat32> x) {
            return second.apply(leaky(first.apply(x)));
        }
    }

    public Dense dense(Params params, String name, int in, int out) {
        return new Dense(params, name, in, out);
    }

    public Mlp mlp(Params params, String name, int in, int hidden, int out) {
        return new Mlp(params, name, in, hidden, out, false);
    }

    /** An MLP whose output layer starts at zero, so it adds nothing until trained. */
    public Mlp mlpStartingAtZero(Params params, String name, int in, int hidden, int out) {
        return new Mlp(params, name, in, hidden, out, true);
    }

    /** Layer normalisation over the last axis of x [B, dim]. */
    public Operand<TFloat32> layerNorm(Params params, String name, Operand<TFloat32> x, int dim) {
        float[] ones = new float[dim];
        java.util.Arrays.fill(ones, 1f);
        Variable<TFloat32> gamma = variable(params, name + "_gamma", Shape.of(dim), ones);
        Variable<TFloat32> beta = variable(params, name + "_beta", Shape.of(dim), new float[dim]);
        Operand<TFloat32> mean = tf.math.mean(x, tf.constant(-1), Mean.keepDims(true));
        Operand<TFloat32> centred = tf.math.sub(x, mean);
        Operand<TFloat32> variance = tf.math.mean(tf.math.square(centred), tf.constant(-1), Mean.keepDims(true));
        Operand<TFloat32> normed = tf.math.mul(centred, tf.math.rsqrt(tf.math.add(variance, tf.constant(LAYER_NORM_EPSILON))));
        return tf.math.add(tf.math.mul(normed, gamma), beta);
    }

    public Operand<TFloat32> leaky(Operand<TFloat32> x) {
        return tf.nn.leakyRelu(x, LeakyRelu.alpha(LEAKY_SLOPE));
    }

    /** Per-sample Euclidean distance of a and b [B, d], averaged over the batch (the paper's E||.||_2). */
    public Operand<TFloat32> meanL2(Operand<TFloat32> a, Operand<TFloat32> b) {
        Operand<TFloat32> squared = tf.reduceSum(tf.math.squaredDifference(a, b), tf.constant(1));
        return tf.math.mean(tf.math.sqrt(tf.math.add(squared, tf.constant(1e-8f))), tf.constant(0));
    }

    public Operand<TFloat32> meanAbsoluteError(Operand<TFloat32> a, Operand<TFloat32> b) {
        return tf.math.mean(tf.math.abs(tf.math.sub(a, b)), tf.constant(0));
    }

    public Operand<TFloat32> meanSquaredError(Operand<TFloat32> a, Operand<TFloat32> b) {
        return tf.math.mean(tf.math.squaredDifference(a, b), tf.constant(0));
    }

    /** A trainable vector or matrix starting at zero (not a weight matrix: weight decay leaves it alone). */
    public Variable<TFloat32> zeros(Params params, String name, Shape shape) {
        return variable(params, name, shape, new float[(int) shape.size()]);
    }

    private Variable<TFloat32> variable(Params params, String name, Shape shape, float[] values) {
        Variable<TFloat32> v = tf.withName(params.name() + "_" + name)
                .variable(tf.constant(shape, DataBuffers.of(values, true, false)));
        params.add(v);
        return v;
    }
}
