package io.hrlf.model.testing;

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
 */
public final class TinyContractModel {
    private TinyContractModel() {}

    public static ModelMetadata export(Path dir, int steps, int[] dims, String modelVersion) throws IOException {
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
            Variable<TFloat32> scale = tf.withName("scale").variable(tf.constant(1f));
            Operand<TFloat32> score = tf.withName(TensorContract.SCORE_OUTPUT).math.mul(tf.constant(3f),
                    tf.math.tanh(tf.math.mul(scale, tf.math.addN(contributions))));
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
        metadata.write(dir);
        return metadata;
    }

    /**
     * The model's formula in plain Java for one sample.
     *
     * @param values per modality T*d values
     * @param masks per modality T mask entries
     */
    public static float expectedScore(int steps, int[] dims, float[][] values, float[][] masks) {
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
        return (float) (3 * Math.tanh(sum));
    }
}
