package io.hrlf.model.testing;

import io.hrlf.contract.ContextSpec;
import io.hrlf.contract.Modality;
import io.hrlf.contract.ModelMetadata;
import io.hrlf.contract.TensorContract;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A small but real SavedModel that honours the tensor contract, for tests of the serving path
 * before (and independently of) the trained HRLF student. Its score is a known function of its
 * inputs, so tests can check that the right values reached the right rows:
 *
 * <pre>
 *   contribution_m = mean over observed steps of (mean of that step's d_m features), 0 if none observed
 *   score          = 3 * tanh(scale * sum_m contribution_m),  scale a saved variable = 1
 * </pre>
 *
 * <p>The variant with context ({@link #exportWithContext}) reads the participant's K earlier
 * representations (d_c each) and returns the window's own, so the score depends on the context in a
 * way that also checks the slot order (newer slots weigh more):
 *
 * <pre>
 *   f                = sum_m contribution_m
 *   representation_j = tanh(f * (j + 1) / d_c)                                     j = 0..d_c-1
 *   g                = sum_k mask_k * (k + 1) / K * mean_j context_kj / sum_k mask_k   (0 with no context)
 *   score            = 3 * tanh(scale * (f + g))
 * </pre>
 *
 * {@link #expectedScoresInOrder} evaluates a participant's windows offline in that order.
 */
public final class TinyContractModel {
    private TinyContractModel() {}

    public static ModelMetadata export(Path dir, int steps, int[] dims, String modelVersion) throws IOException {
        return export(dir, steps, dims, modelVersion, null);
    }

    /** The variant with context: extra inputs [B, K, d_c] and [B, K], extra output [B, d_c], default names. */
    public static ModelMetadata exportWithContext(Path dir, int steps, int[] dims, int windows, int dimension,
                                                  String modelVersion) throws IOException {
        return export(dir, steps, dims, modelVersion, ContextSpec.of(windows, dimension));
    }

    private static ModelMetadata export(Path dir, int steps, int[] dims, String modelVersion, ContextSpec context)
            throws IOException {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Signature.Builder signature = Signature.builder().key(TensorContract.SERVING_SIGNATURE);
            List<Operand<TFloat32>> contributions = new ArrayList<>();
            for (Modality m : Modality.ALL) {
                int d = dims[m.ordinal()];
                Placeholder<TFloat32> x = tf.withName(m.inputName()).placeholder(TFloat32.class,
                        Placeholder.shape(Shape.of(-1, steps, d)));
                Placeholder<TFloat32> mask = tf.withName(m.maskName()).placeholder(TFloat32.class,
                        Placeholder.shape(Shape.of(-1, steps)));
                signature.input(m.inputName(), x).input(m.maskName(), mask);
                Operand<TFloat32> stepMean = tf.math.div(tf.reduceSum(x, tf.constant(2)), tf.constant((float) d));
                Operand<TFloat32> observedSum = tf.reduceSum(tf.math.mul(stepMean, mask), tf.constant(1));
                Operand<TFloat32> observed = tf.reduceSum(mask, tf.constant(1));
                contributions.add(tf.math.divNoNan(observedSum, observed));
            }
            Operand<TFloat32> windowTerm = tf.math.addN(contributions);
            Operand<TFloat32> logit = windowTerm;
            if (context != null) {
                logit = tf.math.add(windowTerm, contextTerm(tf, signature, context));
                signature.output(context.representationOutput(), tf.withName(context.representationOutput()).math.tanh(
                        tf.math.mul(tf.expandDims(windowTerm, tf.constant(1)), tf.constant(slopes(context.dimension())))));
            }
            Variable<TFloat32> scale = tf.withName("scale").variable(tf.constant(1f));
            Operand<TFloat32> score = tf.withName(TensorContract.SCORE_OUTPUT).math.mul(tf.constant(3f),
                    tf.math.tanh(tf.math.mul(scale, logit)));
            signature.output(TensorContract.SCORE_OUTPUT, score);
            try (Session session = new Session(graph)) {
                session.initialize();
                SavedModelBundle.exporter(dir.toString())
                        .withTags(TensorContract.SERVING_TAG)
                        .withFunction(SessionFunction.create(signature.build(), session))
                        .export();
            }
        }
        Map<String, Integer> dimensions = new LinkedHashMap<>();
        for (Modality m : Modality.ALL) {
            dimensions.put(m.inputName(), dims[m.ordinal()]);
        }
        ModelMetadata metadata = new ModelMetadata(ModelMetadata.FORMAT_VERSION, modelVersion, "tiny-contract-test",
                0L, steps, dimensions, Map.of(), "none (test model)", Instant.now().toString(), Map.of(), Map.of());
        if (context != null) {
            metadata = metadata.withContext(context);
        }
        metadata.write(dir);
        return metadata;
    }

    /** g of the class comment, [B]: the slot-weighted mean of the filled context slots' means. */
    private static Operand<TFloat32> contextTerm(Ops tf, Signature.Builder signature, ContextSpec context) {
        int k = context.windows();
        Placeholder<TFloat32> values = tf.withName(context.contextInput()).placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(-1, k, context.dimension())));
        Placeholder<TFloat32> mask = tf.withName(context.contextMaskInput()).placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(-1, k)));
        signature.input(context.contextInput(), values).input(context.contextMaskInput(), mask);
        Operand<TFloat32> slotMean = tf.math.div(tf.reduceSum(values, tf.constant(2)), tf.constant((float) context.dimension()));
        Operand<TFloat32> weighted = tf.math.mul(tf.math.mul(slotMean, mask), tf.constant(slopes(k)));
        return tf.math.divNoNan(tf.reduceSum(weighted, tf.constant(1)), tf.reduceSum(mask, tf.constant(1)));
    }

    /** (i + 1) / n for i = 0..n-1. */
    private static float[] slopes(int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (i + 1f) / n;
        }
        return out;
    }

    /** f of the class comment for one sample: the sum over modalities of the observed steps' mean feature. */
    public static double windowTerm(int steps, int[] dims, float[][] values, float[][] masks) {
        double sum = 0;
        for (Modality m : Modality.ALL) {
            int i = m.ordinal();
            int d = dims[i];
            double observedSum = 0;
            double observed = 0;
            for (int t = 0; t < steps; t++) {
                double stepSum = 0;
                for (int j = 0; j < d; j++) {
                    stepSum += values[i][t * d + j];
                }
                observedSum += (stepSum / d) * masks[i][t];
                observed += masks[i][t];
            }
            sum += observed == 0 ? 0 : observedSum / observed;
        }
        return sum;
    }

    /** The context variant's representation of a window whose {@link #windowTerm} is {@code f}. */
    public static float[] expectedRepresentation(double f, int dimension) {
        float[] out = new float[dimension];
        for (int j = 0; j < dimension; j++) {
            out[j] = (float) Math.tanh(f * (j + 1) / dimension);
        }
        return out;
    }

    /**
     * The context variant's score of a window with window term {@code f} and the {@code earlier}
     * representations (oldest first; only the newest K count, the newest in slot K-1).
     */
    public static float expectedContextScore(double f, List<float[]> earlier, int windows) {
        int n = Math.min(earlier.size(), windows);
        double weighted = 0;
        for (int i = 0; i < n; i++) {
            float[] representation = earlier.get(earlier.size() - n + i);
            double mean = 0;
            for (float v : representation) {
                mean += v;
            }
            int slot = windows - n + i;
            weighted += (mean / representation.length) * (slot + 1.0) / windows;
        }
        double g = n == 0 ? 0 : weighted / n;
        return (float) (3 * Math.tanh(f + g));
    }

    /**
     * One participant's windows scored offline in event-time order, each with the representations its
     * predecessors left (at most K): the scores a stream of the same windows must produce.
     *
     * @param windows per window, {values, masks} as for {@link #expectedScore}
     */
    public static float[] expectedScoresInOrder(int steps, int[] dims, int contextWindows, int dimension,
                                                List<float[][][]> windows) {
        float[] scores = new float[windows.size()];
        List<float[]> remembered = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) {
            double f = windowTerm(steps, dims, windows.get(i)[0], windows.get(i)[1]);
            scores[i] = expectedContextScore(f, remembered, contextWindows);
            remembered.add(expectedRepresentation(f, dimension));
        }
        return scores;
    }

    /**
     * The model's formula in plain Java for one sample.
     *
     * @param values per modality T*d values
     * @param masks per modality T mask entries
     */
    public static float expectedScore(int steps, int[] dims, float[][] values, float[][] masks) {
        return (float) (3 * Math.tanh(windowTerm(steps, dims, values, masks)));
    }
}
