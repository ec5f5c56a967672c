package io.hrlf.bench;

import io.hrlf.contract.TensorContract;
import io.hrlf.model.ModelInput;
import io.hrlf.scoring.ModelScoringFunction;
import io.hrlf.scoring.ScorerSettings;
import io.hrlf.scoring.ScoringOptions;
import io.hrlf.scoring.WindowTranslator;
import io.hrlf.window.AssembledWindow;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.functions.DefaultOpenContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.async.CollectionSupplier;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.util.MockStreamingRuntimeContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/**
 * JMH micro-benchmarks of one batch of B windows, three ways:
 * <ul>
 *   <li>{@code scorer}: the project's scorer ({@link ModelScoringFunction}: micro-batcher, model input
 *       assembly, tensor creation, the session call, score records), driven as Flink's async operator
 *       drives it, minus the operator;</li>
 *   <li>{@code rawSession}: the same student's session run on tensors built once beforehand, the most
 *       the scorer can reach;</li>
 *   <li>{@code matmul}: one n x n matrix product with as many FLOPs as the student needs for B windows,
 *       what this CPU can do for work of that size.</li>
 * </ul>
 * The model directory and FLOPs per window come from system properties set by {@link ScorerBench}.
 */
public class ScorerJmh {
    static final String MODEL_PROPERTY = "bench.scorer.model";
    static final String FLOPS_PROPERTY = "bench.scorer.flopsPerWindow";

    @State(Scope.Benchmark)
    public static class ScorerState {
        @Param({"1", "8", "32", "128"})
        public int batchSize;

        ModelScoringFunction scorer;
        List<AssembledWindow> windows;

        @Setup(Level.Trial)
        public void open() throws Exception {
            Configuration config = new Configuration();
            config.set(ScoringOptions.BATCH_SIZE, batchSize);
            // only a full batch is sent: the wait never expires inside one invocation
            config.set(ScoringOptions.BATCH_MAX_WAIT, Duration.ofSeconds(30));
            scorer = new ModelScoringFunction(System.getProperty(MODEL_PROPERTY), BenchModel.STEPS, BenchModel.DIMS,
                    ScorerSettings.from(config));
            scorer.setRuntimeContext(new MockStreamingRuntimeContext(1, 0));
            scorer.open(DefaultOpenContext.INSTANCE);
            windows = SampleWindows.random(batchSize, BenchModel.STEPS, BenchModel.DIMS, 42);
        }

        @TearDown(Level.Trial)
        public void close() {
            scorer.close();
        }
    }

    /** Counts down when the scorer completes a window, remembering the first error. */
    private static final class LatchFuture<T> implements ResultFuture<T> {
        private final CountDownLatch latch;
        private final AtomicReference<Throwable> error;

        LatchFuture(CountDownLatch latch, AtomicReference<Throwable> error) {
            this.latch = latch;
            this.error = error;
        }

        @Override
        public void complete(Collection<T> result) {
            latch.countDown();
        }

        @Override
        public void completeExceptionally(Throwable e) {
            error.compareAndSet(null, e);
            latch.countDown();
        }

        @Override
        public void complete(CollectionSupplier<T> supplier) {
            latch.countDown();
        }
    }

    @Benchmark
    public long scorer(ScorerState state) throws Exception {
        CountDownLatch done = new CountDownLatch(state.batchSize);
        AtomicReference<Throwable> error = new AtomicReference<>();
        for (AssembledWindow window : state.windows) {
            state.scorer.asyncInvoke(window, new LatchFuture<>(done, error));
        }
        if (!done.await(60, TimeUnit.SECONDS) || error.get() != null) {
            throw new IllegalStateException("scorer did not score its batch", error.get());
        }
        return done.getCount();
    }

    @State(Scope.Benchmark)
    public static class RawSessionState {
        @Param({"1", "8", "32", "128"})
        public int batchSize;

        SavedModelBundle bundle;
        Session session;
        String[] feedNames;
        Tensor[] feeds;
        String scoreName;

        @Setup(Level.Trial)
        public void open() {
            bundle = SavedModelBundle.load(System.getProperty(MODEL_PROPERTY), TensorContract.SERVING_TAG);
            session = bundle.session();
            Signature signature = bundle.function(TensorContract.SERVING_SIGNATURE).signature();
            Map<String, Tensor> byInput = modelInput(SampleWindows.random(batchSize, BenchModel.STEPS, BenchModel.DIMS, 42))
                    .toFeeds();
            feedNames = byInput.keySet().stream().map(key -> signature.getInputs().get(key).name).toArray(String[]::new);
            feeds = byInput.values().toArray(Tensor[]::new);
            scoreName = signature.getOutputs().get(TensorContract.SCORE_OUTPUT).name;
        }

        @TearDown(Level.Trial)
        public void close() {
            for (Tensor t : feeds) {
                t.close();
            }
            bundle.close();
        }
    }

    @Benchmark
    public float rawSession(RawSessionState state) {
        Session.Runner runner = state.session.runner();
        for (int i = 0; i < state.feeds.length; i++) {
            runner.feed(state.feedNames[i], state.feeds[i]);
        }
        try (Result result = runner.fetch(state.scoreName).run()) {
            return ((TFloat32) result.get(0)).getFloat(0);
        }
    }

    @State(Scope.Benchmark)
    public static class MatmulState {
        @Param({"1", "8", "32", "128"})
        public int batchSize;

        Graph graph;
        Session session;
        TFloat32 a;
        TFloat32 b;
        Placeholder<TFloat32> inA;
        Placeholder<TFloat32> inB;
        MatMul<TFloat32> product;
        int n;

        @Setup(Level.Trial)
        public void open() {
            n = matmulSize(Double.parseDouble(System.getProperty(FLOPS_PROPERTY)) * batchSize);
            graph = new Graph();
            Ops tf = Ops.create(graph);
            inA = tf.placeholder(TFloat32.class);
            inB = tf.placeholder(TFloat32.class);
            product = tf.linalg.matMul(inA, inB);
            session = new Session(graph);
            float[] values = new float[n * n];
            java.util.Random random = new java.util.Random(3);
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextFloat();
            }
            a = TFloat32.tensorOf(Shape.of(n, n), DataBuffers.of(values, true, false));
            b = TFloat32.tensorOf(Shape.of(n, n), DataBuffers.of(values, true, false));
        }

        @TearDown(Level.Trial)
        public void close() {
            a.close();
            b.close();
            session.close();
            graph.close();
        }
    }

    @Benchmark
    public float matmul(MatmulState state) {
        try (Result result = state.session.runner().feed(state.inA, state.a).feed(state.inB, state.b)
                .fetch(state.product).run()) {
            return ((TFloat32) result.get(0)).getFloat(0, 0);
        }
    }

    /** Side of the square matrix product (2 n^3 FLOPs) closest to {@code flops}. */
    static int matmulSize(double flops) {
        return Math.max(4, (int) Math.round(Math.cbrt(flops / 2)));
    }

    /** The scorer's own translation (the neutral band plays no part in the model input). */
    static ModelInput modelInput(List<AssembledWindow> windows) {
        return new WindowTranslator(BenchModel.STEPS, BenchModel.DIMS, 0f).toModelInput(windows);
    }

    static Map<String, String> benchmarkNames() {
        return Map.of("scorer", ScorerJmh.class.getName() + ".scorer",
                "rawSession", ScorerJmh.class.getName() + ".rawSession",
                "matmul", ScorerJmh.class.getName() + ".matmul");
    }
}
