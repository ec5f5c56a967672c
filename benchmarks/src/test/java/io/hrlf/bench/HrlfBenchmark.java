package io.hrlf.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The benchmark command of docs/BENCHMARKS.md:
 * {@code ./mvnw -q -pl benchmarks -am -Pbench verify [-Dbench.quick=true]}.
 *
 * <p>One entry point so that the sections share one trained model, one broker and one JSON file,
 * and run in a fixed order. Each section measures its own baseline in the same run (the machine is
 * shared and noisy, so only ratios and medians of repeats are comparable across runs). A section
 * that fails is reported as "not measured" with the reason and fails the run; the others still run
 * and the report is still written ({@link BenchSections}).
 * {@code -Dbench.sections=scoring,pipeline,...,context} runs a subset (for working on one section).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HrlfBenchmark {
    private static final BenchConfig CONFIG = BenchConfig.fromSystemProperties();
    private static final BenchReport REPORT = new BenchReport();
    private static final BenchSections SECTIONS = new BenchSections(REPORT, System.getProperty("bench.sections", ""));
    private static Path model;
    /** Broker + MiniCluster, started by the first section that needs them. */
    private static BenchCluster cluster;
    private static BacklogRuns backlog;
    /** The job's windows/s at parallelism 2, measured by the pipeline section; latency targets fractions of it. */
    private static double maxWindowsPerSecond = Double.NaN;

    @BeforeAll
    static void trainModel() throws Exception {
        Files.createDirectories(CONFIG.outDir());
        long started = System.nanoTime();
        model = BenchModel.trainAndExport(CONFIG.outDir().resolve("model"));
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("date", Instant.now().toString());
        run.put("quick", CONFIG.quick());
        run.put("available_processors", Runtime.getRuntime().availableProcessors());
        run.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
        run.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        run.put("model_training_s", Stats.round((System.nanoTime() - started) / 1e9));
        REPORT.section("run", run);
    }

    private static BacklogRuns backlog() throws Exception {
        if (cluster == null) {
            cluster = new BenchCluster();
            backlog = new BacklogRuns(cluster, model);
        }
        return backlog;
    }

    @AfterAll
    static void writeReport() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        REPORT.write(CONFIG.outDir());
        System.out.println("benchmark results: " + CONFIG.outDir().resolve("benchmarks.json") + " and tables.md");
    }

    @Test
    @Order(1)
    void scoring() {
        SECTIONS.run("scoring", () -> ScorerBench.run(CONFIG, model, REPORT));
    }

    @Test
    @Order(2)
    void pipeline() {
        SECTIONS.run("pipeline", () -> maxWindowsPerSecond = PipelineBench.run(CONFIG, backlog(), REPORT));
    }

    @Test
    @Order(3)
    void latency() {
        SECTIONS.run("latency", () -> {
            backlog(); // starts the broker and the MiniCluster if no section before did
            LatencyBench.run(CONFIG, cluster, model, maxWindowsPerSecond, REPORT);
        });
    }

    @Test
    @Order(4)
    void scaling() {
        SECTIONS.run("scaling", () -> PipelineBench.scaling(CONFIG, backlog(), REPORT));
    }

    @Test
    @Order(5)
    void context() {
        SECTIONS.run("context", () -> ContextBench.run(CONFIG, model, REPORT));
    }

    /** First, while the JVM holds no broker or MiniCluster: its peak RSS is then mostly training's. */
    @Test
    @Order(0)
    void training() {
        SECTIONS.run("training", () -> TrainingBench.run(CONFIG, REPORT));
    }
}
