package io.hrlf.bench;

import io.hrlf.context.ContextState;
import io.hrlf.context.ContextStateSerializer;
import io.hrlf.contract.ContextSpec;
import io.hrlf.model.ContextBatch;
import io.hrlf.model.ModelInput;
import io.hrlf.model.SentimentModel;
import io.hrlf.scoring.ContextScoringOperator;
import io.hrlf.scoring.ScorerSettings;
import io.hrlf.scoring.ScoringOutcome;
import io.hrlf.scoring.WindowTranslator;
import io.hrlf.window.AssembledWindow;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.Collector;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * Section 6: what conversational context costs per window, with the product's context shape
 * K = {@value #K}, d_c = {@value #DC}. The pair compared is the benchmark's trained HRLF student without
 * context and the same student trained on the same data with a context head ({@link BenchModel}, both
 * through the project's {@code ModelExport}), at batch {@value #BATCH}.
 *
 * <ul>
 *   <li>session: windows/s of the bare {@code predict} call of each, the context one with every row's
 *       K slots filled (the extra [B, K, d_c] input, its mask, the head and the [B, d_c] output);
 *   <li>scorer: windows/s of {@link ContextScoringOperator} with the trained context model in Flink's
 *       keyed harness (heap state), {@value #PARTICIPANTS} participants sending one window each per
 *       watermark: state read and write, rounds and batching, the session call and score records; the
 *       same harness around an operator that only emits a ready-made score is measured too, and its
 *       time per window subtracted, since the harness copies every output with its serializer;
 *   <li>state: bytes of one participant's {@link ContextState} as {@link ContextStateSerializer}
 *       writes it into checkpoints, with K windows remembered.
 * </ul>
 */
final class ContextBench {
    /** The product's context shape. */
    static final int K = 8;
    static final int DC = 16;
    /** The context stage's epochs: this section measures cost, which does not depend on how well the head is trained. */
    static final int CONTEXT_EPOCHS = 2;
    static final int BATCH = 32;
    static final int PARTICIPANTS = 256;
    /** Blocks per repeat in which the two session calls take turns. */
    private static final int INTERLEAVED_BLOCKS = 20;

    private ContextBench() {}

    static void run(BenchConfig config, Path student, BenchReport report) throws Exception {
        double loadBefore = loadAverage();
        Path contextDir = config.outDir().resolve("model-context-k" + K + "-dc" + DC);
        boolean reused = Files.isRegularFile(contextDir.resolve("saved_model.pb"));
        long trainingStarted = System.nanoTime();
        Path contextStudent = BenchModel.trainAndExportWithContext(contextDir, K, DC, CONTEXT_EPOCHS);
        double trainingSeconds = (System.nanoTime() - trainingStarted) / 1e9;
        int repeats = config.quick() ? 3 : 5;
        int calls = config.quick() ? 300 : 1_000;
        int rounds = config.quick() ? 10 : 30;

        List<AssembledWindow> windows = SampleWindows.random(BATCH, BenchModel.STEPS, BenchModel.DIMS, 11);
        ModelInput input = new WindowTranslator(BenchModel.STEPS, BenchModel.DIMS, 0.5f).toModelInput(windows);
        ContextBatch fullContext = fullContext(BATCH);

        double[] plainSession = new double[repeats];
        double[] contextSession = new double[repeats];
        double[] scorer = new double[repeats];
        double[] harnessOnly = new double[repeats];
        try (SentimentModel plain = SentimentModel.load(student, BenchModel.STEPS, BenchModel.DIMS);
             SentimentModel context = SentimentModel.load(contextStudent, BenchModel.STEPS, BenchModel.DIMS)) {
            if (plain.hasContext() || !context.context().equals(Optional.of(ContextSpec.of(K, DC)))) {
                throw new IllegalStateException("expected " + student + " without context and " + contextStudent
                        + " with K=" + K + ", d_c=" + DC + "; got " + plain.context() + " and " + context.context());
            }
            for (int r = -1; r < repeats; r++) { // r = -1: warm-up, not kept
                double[] pc = interleavedWindowsPerSecond(calls, () -> plain.predict(input),
                        () -> context.predict(input, fullContext));
                double p = pc[0];
                double c = pc[1];
                double o = harnessWindowsPerSecond(scorer(contextStudent), rounds);
                double h = harnessWindowsPerSecond(new KeyedProcessOperator<>(new ConstantScore()), rounds);
                if (r >= 0) {
                    plainSession[r] = p;
                    contextSession[r] = c;
                    scorer[r] = o;
                    harnessOnly[r] = h;
                }
            }
        }
        double loadAfter = loadAverage();
        int stateBytes = stateBytes(K, DC);
        System.out.printf("context state at K=%d, d_c=%d: %d bytes per participant%n", K, DC, stateBytes);
        // per repeat, from measurements taken seconds apart, then the median: the shared machine's load drifts
        // between repeats far more than within one
        double[] sessionRatios = new double[repeats];
        double[] addedPerRepeat = new double[repeats];
        double[] scorerOwnPerRepeat = new double[repeats];
        double[] scorerVsSession = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            sessionRatios[r] = plainSession[r] / contextSession[r];
            addedPerRepeat[r] = 1e6 / contextSession[r] - 1e6 / plainSession[r];
            // the harness itself (record hand-over, copying each output with its serializer) is not the scorer's cost
            scorerOwnPerRepeat[r] = 1e6 / scorer[r] - 1e6 / harnessOnly[r];
            scorerVsSession[r] = scorerOwnPerRepeat[r] / (1e6 / contextSession[r]);
        }
        double sessionRatio = Stats.median(sessionRatios);
        double addedMicros = Stats.median(addedPerRepeat);
        double scorerOwnMicros = Stats.median(scorerOwnPerRepeat);
        double scorerRatio = Stats.median(scorerVsSession);
        double plainMicros = 1e6 / Stats.median(plainSession);
        double contextMicros = 1e6 / Stats.median(contextSession);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("method", "trained HRLF student without/with context (same synthetic data, " + CONTEXT_EPOCHS
                + " context epochs) at T=" + BenchModel.STEPS + ", dims " + BenchModel.DIMS[0] + "/"
                + BenchModel.DIMS[1] + "/" + BenchModel.DIMS[2] + ", K=" + K + ", d_c=" + DC + ", batch " + BATCH
                + "; " + calls + " session calls of each model (in " + INTERLEAVED_BLOCKS + " alternating blocks) or " + rounds + " rounds of " + PARTICIPANTS
                + " participants per repeat; median (min-max) of " + repeats + " repeats after one warm-up; ratios and "
                + "differences per repeat, then their median");
        // a re-run in the same target/ reuses the model: its training time would read as zero
        json.put("context_model_training_s", reused ? "reused from an earlier run" : Stats.round(trainingSeconds));
        json.put("load_average_1m_before", Stats.round(loadBefore));
        json.put("load_average_1m_after", Stats.round(loadAfter));
        json.put("plain_session_windows_per_s", Stats.summary(plainSession));
        json.put("context_session_windows_per_s", Stats.summary(contextSession));
        json.put("context_scorer_windows_per_s", Stats.summary(scorer));
        json.put("harness_only_windows_per_s", Stats.summary(harnessOnly));
        json.put("plain_session_us_per_window", Stats.round(plainMicros));
        json.put("context_session_us_per_window", Stats.round(contextMicros));
        json.put("context_session_time_vs_plain", Stats.round(sessionRatio));
        json.put("context_session_time_vs_plain_runs", Stats.summary(sessionRatios));
        json.put("context_added_us_per_window", Stats.round(addedMicros));
        json.put("context_scorer_own_us_per_window", Stats.round(scorerOwnMicros));
        json.put("context_scorer_own_us_per_window_runs", Stats.summary(scorerOwnPerRepeat));
        json.put("context_scorer_time_vs_context_session", Stats.round(scorerRatio));
        json.put("state_bytes_per_participant", stateBytes);
        report.section("context", json);
        report.table(BenchReport.markdown("6. Cost of conversational context per window",
                "Trained HRLF student without and with context (same data, " + CONTEXT_EPOCHS + " context epochs), K = "
                        + K + ", d_c = " + DC + ", batch " + BATCH + ", every K slot filled, the two session calls timed in alternating blocks; windows/s median (min–max) of "
                        + repeats + " repeats, ratios per repeat then their median. Scorer = ContextScoringOperator with "
                        + "the context model in Flink's keyed harness, " + PARTICIPANTS + " participants, one window "
                        + "each per watermark; harness = the same harness around an operator that emits a constant score "
                        + "(subtracted: scorer's own µs, session call included). State = one participant's serialized "
                        + "context state with K windows. 1-minute load average " + BenchReport.format(loadBefore)
                        + " before, " + BenchReport.format(loadAfter) + " after.",
                List.of("session w/s without context", "session w/s with context", "session time with / without",
                        "added session µs per window", "context scorer w/s", "harness only w/s",
                        "scorer's own µs per window", "scorer's own time / context session time",
                        "state bytes / participant"),
                List.of(List.of(BenchReport.spread(plainSession), BenchReport.spread(contextSession),
                        BenchReport.format(sessionRatio),
                        BenchReport.format(addedMicros), BenchReport.spread(scorer), BenchReport.spread(harnessOnly),
                        BenchReport.format(scorerOwnMicros), BenchReport.format(scorerRatio), stateBytes))));
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static ContextBatch fullContext(int rows) {
        Random random = new Random(3);
        ContextBatch batch = new ContextBatch(rows, K, DC);
        for (int i = 0; i < batch.values().length; i++) {
            batch.values()[i] = (float) random.nextGaussian();
        }
        Arrays.fill(batch.mask(), 1f);
        return batch;
    }

    /**
     * Windows/s of {@code a} and of {@code b}, {@code calls} calls each, timed in alternating blocks (each
     * block's first call alternating too): the shared machine's load drifts within seconds, and two calls
     * timed one after the other for seconds each would carry different loads into their ratio.
     */
    private static double[] interleavedWindowsPerSecond(int calls, Runnable a, Runnable b) {
        int perBlock = Math.max(1, calls / INTERLEAVED_BLOCKS);
        long nanosA = 0;
        long nanosB = 0;
        for (int block = 0; block < INTERLEAVED_BLOCKS; block++) {
            if (block % 2 == 0) {
                nanosA += nanos(perBlock, a);
                nanosB += nanos(perBlock, b);
            } else {
                nanosB += nanos(perBlock, b);
                nanosA += nanos(perBlock, a);
            }
        }
        double windows = (double) perBlock * INTERLEAVED_BLOCKS * BATCH;
        return new double[] {windows / (nanosA / 1e9), windows / (nanosB / 1e9)};
    }

    private static long nanos(int calls, Runnable call) {
        long started = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            call.run();
        }
        return System.nanoTime() - started;
    }

    private static ContextScoringOperator scorer(Path model) {
        ScorerSettings settings = new ScorerSettings(BATCH, Duration.ofMillis(20), 0.5f, null, 1, Duration.ofMillis(1));
        return new ContextScoringOperator(model.toString(), BenchModel.STEPS, BenchModel.DIMS, ContextSpec.of(K, DC),
                settings, Duration.ofMinutes(10).toMillis());
    }

    /** The harness's own cost: a keyed operator that emits one ready-made score per window. */
    private static final class ConstantScore extends KeyedProcessFunction<String, AssembledWindow, ScoringOutcome> {
        private static final long serialVersionUID = 1L;
        private transient ScoringOutcome outcome;

        @Override
        public void processElement(AssembledWindow window, Context ctx, Collector<ScoringOutcome> out) {
            if (outcome == null) {
                outcome = new ScoringOutcome();
                outcome.score = new WindowTranslator(BenchModel.STEPS, BenchModel.DIMS, 0.5f).toScore(window, 1f, "x", 0);
            }
            out.collect(outcome);
        }
    }

    /** Windows/s through {@code operator}: each round one window per participant, then the watermark. */
    private static double harnessWindowsPerSecond(OneInputStreamOperator<AssembledWindow, ScoringOutcome> operator,
                                                  int rounds) throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, AssembledWindow, ScoringOutcome> harness =
                     new KeyedOneInputStreamOperatorTestHarness<>(operator, w -> w.participantKey().toString(),
                             Types.STRING)) {
            harness.open();
            List<AssembledWindow> template = SampleWindows.random(PARTICIPANTS, BenchModel.STEPS, BenchModel.DIMS, 5);
            long started = System.nanoTime();
            for (int round = 0; round < rounds; round++) {
                for (AssembledWindow w : template) {
                    w.windowStartMillis = round * 5_000L;
                    w.windowEndMillis = w.windowStartMillis + 5_000;
                    harness.processElement(new StreamRecord<>(w, w.windowEndMillis - 1));
                }
                harness.processWatermark((round + 1) * 5_000L);
                harness.getOutput().clear();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            return (double) rounds * PARTICIPANTS / seconds;
        }
    }

    /** Bytes of one participant's context state with {@code windows} representations of length {@code dim} remembered. */
    static int stateBytes(int windows, int dim) throws Exception {
        ContextState state = new ContextState(dim);
        for (int w = 0; w < windows; w++) {
            state.remember(w * 5_000L, new float[dim], windows);
        }
        state.expiresAt(windows * 5_000L + 600_000);
        DataOutputSerializer out = new DataOutputSerializer(1024);
        ContextStateSerializer.INSTANCE.serialize(state, out);
        return out.length();
    }
}
