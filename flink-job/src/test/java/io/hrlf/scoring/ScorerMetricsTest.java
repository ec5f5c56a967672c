package io.hrlf.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.hrlf.contract.ContextSpec;
import io.hrlf.contract.Modality;
import io.hrlf.ingest.RejectReason;
import io.hrlf.metrics.HrlfMetrics;
import io.hrlf.model.testing.TinyContractModel;
import io.hrlf.window.AssembledWindow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.executiongraph.ExecutionAttemptID;
import org.apache.flink.runtime.metrics.groups.TaskManagerMetricGroup;
import org.apache.flink.runtime.metrics.groups.TaskMetricGroup;
import org.apache.flink.runtime.metrics.util.TestingMetricRegistry;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both scorers, through Flink's harnesses on real tiny SavedModels and with a metric registry that
 * records every registration, report the same metrics for the same windows: a dashboard built on one
 * scorer's metrics works for the other. Only each scorer's own metric differs (the async scorer's
 * timeouts, the context scorer's expiries).
 */
class ScorerMetricsTest {
    private static final int STEPS = 3;
    private static final int[] DIMS = {3, 2, 2};
    private static final int K = 2;
    private static final int DC = 3;
    private static final long WINDOW = 5_000;
    /** One batch of all the test's windows, cut by its size: a max wait that never runs out in the test. */
    private static final int BATCH = 3;
    private static final Duration MAX_WAIT = Duration.ofMinutes(1);
    /** The failing batch is retried once, then scored window by window. */
    private static final ScorerSettings SETTINGS = new ScorerSettings(BATCH, MAX_WAIT, 0.5f, null, 2,
            Duration.ofMillis(1));

    private static final String TIMED_OUT = qualified("rejected", RejectReason.SCORING_TIMED_OUT.name());
    private static final String EXPIRED = qualified(ContextScoringOperator.CONTEXTS_EXPIRED_METRIC);

    @TempDir
    static Path tmp;
    private static Path plainModel;
    private static Path contextModel;

    @BeforeAll
    static void exportModels() throws Exception {
        plainModel = tmp.resolve("tiny");
        TinyContractModel.export(plainModel, STEPS, DIMS, "tiny-plain");
        contextModel = tmp.resolve("tiny-context");
        TinyContractModel.exportWithContext(contextModel, STEPS, DIMS, K, DC, "tiny-ctx");
    }

    private static String qualified(String... path) {
        return HrlfMetrics.GROUP + "." + String.join(".", path);
    }

    /** A full window, one without vision, and one the model maps to NaN (its batch fails, then it alone). */
    private static List<AssembledWindow> windows() {
        AssembledWindow poison = window("p3", true);
        poison.values[Modality.TEXT.ordinal()][0] = Float.NaN;
        return List.of(window("p1", true), window("p2", false), poison);
    }

    private static AssembledWindow window(String participant, boolean vision) {
        AssembledWindow w = new AssembledWindow();
        w.callId = "call";
        w.participantId = participant;
        w.windowStartMillis = 0;
        w.windowEndMillis = WINDOW;
        w.values = new float[3][];
        w.masks = new float[3][];
        w.frames = new int[3];
        w.completeness = new float[3];
        for (Modality m : Modality.ALL) {
            int i = m.ordinal();
            boolean on = m != Modality.VISION || vision;
            w.values[i] = new float[STEPS * DIMS[i]];
            w.masks[i] = new float[STEPS];
            Arrays.fill(w.masks[i], on ? 1f : 0f);
            Arrays.fill(w.values[i], on ? 0.25f : 0f);
            w.frames[i] = on ? STEPS : 0;
            w.completeness[i] = on ? 1f : 0f;
        }
        return w;
    }

    /** An environment whose metric registry records every metric under hrlf, by its name below the operator. */
    private static MockEnvironment recordingEnvironment(Map<String, Metric> into) {
        TestingMetricRegistry registry = TestingMetricRegistry.builder().setRegisterConsumer((metric, name, group) -> {
            List<String> scope = Arrays.asList(group.getScopeComponents());
            int hrlf = scope.indexOf(HrlfMetrics.GROUP);
            if (hrlf >= 0) {
                into.put(String.join(".", scope.subList(hrlf, scope.size())) + "." + name, metric);
            }
        }).build();
        TaskMetricGroup task = TaskManagerMetricGroup.createTaskManagerMetricGroup(registry, "localhost",
                ResourceID.generate()).addJob(new JobID(), "job").addTask(ExecutionAttemptID.randomId(), "scorer");
        return new MockEnvironmentBuilder().setTaskName("scorer").setManagedMemorySize(3 * 1024 * 1024)
                .setMetricGroup(task).build();
    }

    private static Map<String, Metric> metricsOfPlainScorer() throws Exception {
        Map<String, Metric> metrics = new TreeMap<>();
        ModelScoringFunction scorer = new ModelScoringFunction(plainModel.toString(), STEPS, DIMS, SETTINGS);
        try (MockEnvironment env = recordingEnvironment(metrics);
             OneInputStreamOperatorTestHarness<AssembledWindow, ScoringOutcome> harness =
                     new OneInputStreamOperatorTestHarness<>(new AsyncWaitOperatorFactory<>(scorer,
                             MAX_WAIT.toMillis(), BATCH, AsyncDataStream.OutputMode.ORDERED),
                             TypeInformation.of(AssembledWindow.class).createSerializer(new SerializerConfigImpl()),
                             env)) {
            harness.open();
            for (AssembledWindow w : windows()) {
                harness.processElement(new StreamRecord<>(w, w.windowEndMillis - 1));
            }
            harness.endInput();
            assertOutcomes(harness);
        }
        return metrics;
    }

    private static Map<String, Metric> metricsOfContextScorer() throws Exception {
        Map<String, Metric> metrics = new TreeMap<>();
        ContextScoringOperator scorer = new ContextScoringOperator(contextModel.toString(), STEPS, DIMS,
                ContextSpec.of(K, DC), SETTINGS, WINDOW);
        try (MockEnvironment env = recordingEnvironment(metrics);
             KeyedOneInputStreamOperatorTestHarness<String, AssembledWindow, ScoringOutcome> harness =
                     new KeyedOneInputStreamOperatorTestHarness<>(scorer, w -> w.participantKey().toString(),
                             Types.STRING, env)) {
            harness.open();
            for (AssembledWindow w : windows()) {
                harness.processElement(new StreamRecord<>(w, w.windowEndMillis - 1));
            }
            harness.processWatermark(Long.MAX_VALUE);
            assertOutcomes(harness);
        }
        return metrics;
    }

    private static void assertOutcomes(AbstractStreamOperatorTestHarness<ScoringOutcome> harness) {
        List<ScoringOutcome> outcomes = harness.extractOutputValues();
        assertThat(outcomes).extracting(ScoringOutcome::isScored).as("scored, scored, failed")
                .containsExactly(true, true, false);
    }

    @Test
    void bothScorersReportTheSameMetricsWithTheSameValuesForTheSameWindows() throws Exception {
        Map<String, Metric> plain = metricsOfPlainScorer();
        Map<String, Metric> context = metricsOfContextScorer();

        assertThat(plain).as("the async scorer's own metric").containsKey(TIMED_OUT);
        assertThat(context).as("the context scorer's own metric").containsKey(EXPIRED);
        plain.remove(TIMED_OUT);
        context.remove(EXPIRED);
        assertThat(plain.keySet()).as("metrics of the scorer without context = those of the scorer with context")
                .containsExactlyElementsOf(context.keySet());

        assertThat(values(plain)).as("what each metric says after the same windows").isEqualTo(values(context))
                .containsEntry(qualified("windowsScored"), 2L)
                .containsEntry(qualified("pattern", "l_a_v"), 1L)
                .containsEntry(qualified("pattern", "l_a"), 1L)
                .containsEntry(qualified("rejected", RejectReason.INFERENCE_FAILED.name()), 1L)
                .containsEntry(qualified(HrlfMetrics.INFERENCE_RETRIES_METRIC), 1L)
                .containsEntry(qualified("batchSize"), 2L)
                .containsEntry(qualified("inferenceLatencyMs"), 2L)
                .containsEntry(qualified("eventToScoreLatencyMs"), 2L)
                .containsEntry(qualified(HrlfMetrics.WINDOW_END_TO_SCORE_METRIC), 2L);
    }

    /** Counts of counters and histograms (latencies differ between runs, their number of samples does not). */
    private static Map<String, Long> values(Map<String, Metric> metrics) {
        Map<String, Long> out = new TreeMap<>();
        metrics.forEach((name, metric) -> {
            if (metric instanceof Counter counter) {
                out.put(name, counter.getCount());
            } else if (metric instanceof Histogram histogram) {
                out.put(name, histogram.getCount());
            }
        });
        assertThat(out).as("every metric is a counter or a histogram").hasSameSizeAs(metrics);
        return out;
    }
}
