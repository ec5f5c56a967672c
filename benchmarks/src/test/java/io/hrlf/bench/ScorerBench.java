package io.hrlf.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.annotations.Mode;

/**
 * Section 1: inference throughput and latency of the scorer per batch size, against the raw session
 * call on the same tensors and against a matrix product of the same FLOPs (see {@link ScorerJmh}).
 *
 * <p>JMH runs in this JVM ({@code forks(0)}): a fork would have to retrain or find the model and
 * re-load TensorFlow's natives for each of twelve benchmarks, which the few-minutes budget of the
 * quick run cannot pay. Every JMH iteration is one "run" of the median and spread.
 */
final class ScorerBench {
    static final int[] BATCH_SIZES = {1, 8, 32, 128};
    /** The job's default hrlf.scoring.batch-size: the headline ratio is taken there. */
    static final int HEADLINE_BATCH = 32;

    private ScorerBench() {}

    /** Per benchmark and batch size: windows/s of every iteration and the per-batch latency percentiles. */
    record Measured(double[] windowsPerSecond, double p50Millis, double p99Millis, double meanMillis) {}

    static void run(BenchConfig config, Path model, BenchReport report) throws Exception {
        FlopCounter.Count flops = FlopCounter.perWindow(model);
        System.setProperty(ScorerJmh.MODEL_PROPERTY, model.toString());
        System.setProperty(ScorerJmh.FLOPS_PROPERTY, String.valueOf(flops.flopsPerWindow()));
        Options options = new OptionsBuilder()
                .include(ScorerJmh.class.getName() + "\\.")
                .mode(Mode.SampleTime)
                .timeUnit(TimeUnit.MICROSECONDS)
                .forks(0)
                .threads(1)
                .warmupIterations(config.jmhWarmups())
                .warmupTime(TimeValue.milliseconds(config.jmhIterationMillis()))
                .measurementIterations(config.jmhIterations())
                .measurementTime(TimeValue.milliseconds(config.jmhIterationMillis()))
                .shouldFailOnError(true)
                .result(config.outDir().resolve("jmh-scorer.json").toString())
                .resultFormat(org.openjdk.jmh.results.format.ResultFormatType.JSON)
                .build();
        Collection<RunResult> results = new Runner(options).run();

        Map<String, Map<Integer, Measured>> measured = new LinkedHashMap<>();
        for (RunResult result : results) {
            String name = result.getParams().getBenchmark();
            String method = name.substring(name.lastIndexOf('.') + 1);
            int batch = Integer.parseInt(result.getParams().getParam("batchSize"));
            List<Double> perIteration = new ArrayList<>();
            for (BenchmarkResult benchmark : result.getBenchmarkResults()) {
                for (IterationResult iteration : benchmark.getIterationResults()) {
                    double micros = iteration.getPrimaryResult().getStatistics().getMean();
                    perIteration.add(batch / (micros / 1e6));
                }
            }
            var stats = result.getPrimaryResult().getStatistics();
            measured.computeIfAbsent(method, k -> new LinkedHashMap<>()).put(batch, new Measured(
                    perIteration.stream().mapToDouble(Double::doubleValue).toArray(),
                    stats.getPercentile(50) / 1000, stats.getPercentile(99) / 1000, stats.getMean() / 1000));
        }

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("method", "JMH 1.37, SampleTime, in-process (forks 0), " + config.jmhWarmups() + " warm-up + "
                + config.jmhIterations() + " measured iterations of " + config.jmhIterationMillis() + " ms; one op = one batch");
        json.put("model", "HRLF student (full variant) trained by HrlfTrainer on synthetic calls, T=" + BenchModel.STEPS
                + ", dims text/audio/vision " + BenchModel.DIMS[0] + "/" + BenchModel.DIMS[1] + "/" + BenchModel.DIMS[2]);
        json.put("flops_per_window", Stats.round(flops.flopsPerWindow()));
        json.put("product_ops_counted", flops.productOps());
        List<List<Object>> rows = new ArrayList<>();
        Map<String, Object> perBatch = new LinkedHashMap<>();
        for (int batch : BATCH_SIZES) {
            Measured scorer = measured.get("scorer").get(batch);
            Measured raw = measured.get("rawSession").get(batch);
            Measured matmul = measured.get("matmul").get(batch);
            double scorerWps = Stats.median(scorer.windowsPerSecond());
            double rawWps = Stats.median(raw.windowsPerSecond());
            double ratio = scorerWps / rawWps;
            int n = ScorerJmh.matmulSize(flops.flopsPerWindow() * batch);
            double matmulFlops = 2.0 * n * n * n;
            // matmul "windows/s" is batches/s x batch; its FLOP rate is per batch of 2n^3
            double matmulGflops = Stats.median(matmul.windowsPerSecond()) / batch * matmulFlops / 1e9;
            double scorerGflops = scorerWps * flops.flopsPerWindow() / 1e9;
            double fraction = scorerGflops / matmulGflops;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("scorer_windows_per_s", Stats.summary(scorer.windowsPerSecond()));
            row.put("scorer_batch_latency_ms", Map.of("p50", Stats.round(scorer.p50Millis()), "p99", Stats.round(scorer.p99Millis())));
            row.put("raw_session_windows_per_s", Stats.summary(raw.windowsPerSecond()));
            row.put("raw_session_batch_latency_ms", Map.of("p50", Stats.round(raw.p50Millis()), "p99", Stats.round(raw.p99Millis())));
            row.put("scorer_vs_raw_session", Stats.round(ratio));
            row.put("matmul_n", n);
            row.put("matmul_gflops", Stats.round(matmulGflops));
            row.put("scorer_gflops", Stats.round(scorerGflops));
            row.put("scorer_fraction_of_matmul", Stats.round(fraction));
            perBatch.put(String.valueOf(batch), row);
            rows.add(List.of(batch, BenchReport.spread(scorer.windowsPerSecond()),
                    BenchReport.format(scorer.p50Millis()) + " / " + BenchReport.format(scorer.p99Millis()),
                    BenchReport.spread(raw.windowsPerSecond()),
                    BenchReport.format(raw.p50Millis()) + " / " + BenchReport.format(raw.p99Millis()),
                    ratio, n + "³: " + BenchReport.format(matmulGflops), BenchReport.format(scorerGflops),
                    BenchReport.format(100 * fraction) + " %"));
            if (batch == HEADLINE_BATCH) {
                report.headline("scorer_vs_raw_session", Stats.round(ratio));
            }
        }
        json.put("by_batch_size", perBatch);
        report.section("scoring", json);
        report.table(BenchReport.markdown("1. Scoring (windows/s per batch size)",
                "FLOPs per window (MatMul/BatchMatMul/Conv2D on the path to `score`, 2 per multiply-add): **"
                        + BenchReport.format(flops.flopsPerWindow()) + "** (" + flops.productOps() + "). "
                        + "Throughput: median (min–max) over JMH iterations; latency of one batch p50 / p99 in ms. "
                        + "Matmul: an n x n product with the FLOPs of one batch.",
                List.of("batch", "scorer windows/s", "scorer ms p50/p99", "raw session windows/s", "raw ms p50/p99",
                        "scorer / raw", "matmul GFLOP/s", "scorer GFLOP/s", "scorer / matmul"), rows));
    }
}
