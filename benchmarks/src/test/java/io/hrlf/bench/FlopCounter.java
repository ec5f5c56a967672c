package io.hrlf.bench;

import io.hrlf.contract.TensorContract;
import io.hrlf.model.ModelInput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;

/**
 * FLOPs the student spends on one window: 2 x the multiply-adds of every MatMul, BatchMatMul and
 * Conv2D on the path to the score, with their operand shapes read by running the graph once on a
 * batch of one. Element-wise work (activations, LayerNorm, softmax) is left out: it is small next to
 * the products and it is not what a matrix-multiply baseline measures.
 */
final class FlopCounter {
    private static final Set<String> PRODUCTS = Set.of("MatMul", "BatchMatMul", "BatchMatMulV2", "BatchMatMulV3",
            "Conv2D");

    record Count(double flopsPerWindow, Map<String, Integer> productOps) {}

    private FlopCounter() {}

    static Count perWindow(Path modelDir) {
        try (SavedModelBundle bundle = SavedModelBundle.load(modelDir.toString(), TensorContract.SERVING_TAG)) {
            Signature signature = bundle.function(TensorContract.SERVING_SIGNATURE).signature();
            Output<?> score = bundle.graph().outputOrThrow(signature.getOutputs().get(TensorContract.SCORE_OUTPUT).name);
            Set<Operand<?>> targets = Set.of(score);
            List<GraphOperation> products = new ArrayList<>();
            for (GraphOperation op : bundle.graph().subgraphTo(targets)) {
                if (PRODUCTS.contains(op.type())) {
                    products.add(op);
                }
            }
            Map<String, Integer> byType = new LinkedHashMap<>();
            products.forEach(op -> byType.merge(op.type(), 1, Integer::sum));
            if (products.isEmpty()) {
                return new Count(Double.NaN, byType);
            }
            ModelInput input = ScorerJmh.modelInput(SampleWindows.random(1, BenchModel.STEPS, BenchModel.DIMS, 1));
            Map<String, Tensor> feeds = input.toFeeds();
            try {
                Session.Runner runner = bundle.session().runner();
                feeds.forEach((key, tensor) -> runner.feed(signature.getInputs().get(key).name, tensor));
                // products share operands, and a run may fetch each tensor only once
                Map<String, Integer> fetchIndex = new LinkedHashMap<>();
                for (GraphOperation op : products) {
                    for (Output<?> tensor : List.of(op.input(0), op.input(1), op.output(0))) {
                        String name = tensor.op().name() + ":" + tensor.index();
                        if (fetchIndex.putIfAbsent(name, fetchIndex.size()) == null) {
                            runner.fetch(name);
                        }
                    }
                }
                double flops = 0;
                try (Result shapes = runner.run()) {
                    for (GraphOperation op : products) {
                        flops += flops(op, shape(shapes, fetchIndex, op.input(0)), shape(shapes, fetchIndex, op.input(1)),
                                shape(shapes, fetchIndex, op.output(0)));
                    }
                }
                return new Count(flops, byType);
            } finally {
                feeds.values().forEach(Tensor::close);
            }
        }
    }

    private static Shape shape(Result shapes, Map<String, Integer> fetchIndex, Output<?> tensor) {
        return shapes.get(fetchIndex.get(tensor.op().name() + ":" + tensor.index())).shape();
    }

    private static double flops(GraphOperation op, Shape a, Shape b, Shape out) {
        if (op.type().equals("Conv2D")) {
            // filter [h, w, in, out]: every output element is h*w*in multiply-adds
            return 2.0 * out.size() * b.size(0) * b.size(1) * b.size(2);
        }
        // any product: out has (batch..., m, n) elements, each a k-long dot product; k is the
        // contracted dimension of a, its last one unless a is transposed/adjointed
        boolean transposedA = attribute(op, op.type().equals("MatMul") ? "transpose_a" : "adj_x");
        long k = transposedA ? a.size(a.numDimensions() - 2) : a.size(a.numDimensions() - 1);
        return 2.0 * out.size() * k;
    }

    private static boolean attribute(GraphOperation op, String name) {
        try {
            return op.attributes().getAttrBool(name);
        } catch (RuntimeException absent) {
            return false;
        }
    }
}
