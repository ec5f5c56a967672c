package io.hrlf.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hrlf.avro.DeadLetter;
import io.hrlf.avro.Polarity;
import io.hrlf.avro.SentimentScore;
import io.hrlf.contract.Modality;
import io.hrlf.ingest.RejectReason;
import io.hrlf.metrics.HrlfMetrics;
import io.hrlf.model.SharedModels;
import io.hrlf.model.testing.TinyContractModel;
import io.hrlf.window.AssembledWindow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The async batched scorer on a Flink MiniCluster with a real (tiny) SavedModel. */
class ScoringITCase {
    private static final int STEPS = 3;
    private static final int[] DIMS = {4, 2, 3};

    /** Keeps every metric after the job ends, so the test can read the scorer's batch sizes. */
    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path tmp;

    private static AssembledWindow window(int i, Random random) {
        AssembledWindow w = new AssembledWindow();
        w.callId = "call-" + (i % 3);
        w.participantId = "p-" + i;
        w.windowStartMillis = 1000L * i;
        w.windowEndMillis = 1000L * i + 1000;
        w.revision = 0;
        w.values = new float[3][];
        w.masks = new float[3][];
        w.frames = new int[3];
        w.completeness = new float[3];
        w.firedAtMillis = System.currentTimeMillis();
        for (Modality m : Modality.ALL) {
            int d = DIMS[m.ordinal()];
            w.values[m.ordinal()] = new float[STEPS * d];
            w.masks[m.ordinal()] = new float[STEPS];
            boolean modalityPresent = !(m == Modality.VISION && i % 4 == 0);
            for (int t = 0; t < STEPS; t++) {
                if (modalityPresent && random.nextFloat() > 0.2f) {
                    w.masks[m.ordinal()][t] = 1f;
                    w.frames[m.ordinal()]++;
                    for (int j = 0; j < d; j++) {
                        w.values[m.ordinal()][t * d + j] = (float) random.nextGaussian() * 0.4f;
                    }
                }
            }
        }
        for (Modality m : Modality.ALL) {
            w.completeness[m.ordinal()] = w.frames[m.ordinal()] / (float) STEPS; // one frame per observed step
        }
        return w;
    }

    @Test
    void scoresEveryWindowWithTheModelInBatches() throws Exception {
        Path model = tmp.resolve("model");
        TinyContractModel.export(model, STEPS, DIMS, "tiny-7");
        Random random = new Random(11);
        List<AssembledWindow> windows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            windows.add(window(i, random));
        }
        Map<String, AssembledWindow> byParticipant = new HashMap<>();
        windows.forEach(w -> byParticipant.put(w.participantId, w));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        Configuration config = new Configuration();
        config.set(ScoringOptions.BATCH_SIZE, 16);
        config.set(ScoringOptions.BATCH_MAX_WAIT, java.time.Duration.ofMillis(50));
        List<SentimentScore> scores = new ArrayList<>();
        // the three-argument attach reads T and the dimensions from the model's metadata, as the job does
        try (CloseableIterator<SentimentScore> it = Scoring.attach(env.fromData(windows), model.toString(), config)
                .executeAndCollect("scoring in batches")) {
            it.forEachRemaining(scores::add);
        }

        assertThat(scores).hasSize(windows.size());
        assertThat(scores).extracting(SentimentScore::getParticipantId).doesNotHaveDuplicates();
        for (SentimentScore score : scores) {
            AssembledWindow w = byParticipant.get(score.getParticipantId());
            float expected = TinyContractModel.expectedScore(STEPS, DIMS, w.values, w.masks);
            assertThat(score.getScore()).as(score.getParticipantId()).isCloseTo(expected, within(1e-4f));
            assertThat(score.getMissingPattern()).isEqualTo(w.missingPattern().code());
            assertThat(score.getModelVersion()).isEqualTo("tiny-7");
            assertThat(score.getCallId()).isEqualTo(w.callId);
            assertThat(score.getWindowStartMillis().toEpochMilli()).isEqualTo(w.windowStartMillis);
            assertThat(score.getModalities()).hasSize(3);
            assertThat(score.getModalities().get(Modality.VISION.ordinal()).getPresent())
                    .isEqualTo(w.present(Modality.VISION));
            assertThat(score.getModalities().get(Modality.TEXT.ordinal()).getCompleteness())
                    .isEqualTo(w.completeness(Modality.TEXT));
            Polarity polarity = score.getScore() > 0.5f ? Polarity.POSITIVE
                    : score.getScore() < -0.5f ? Polarity.NEGATIVE : Polarity.NEUTRAL;
            assertThat(score.getPolarity()).isEqualTo(polarity);
        }
        assertThat(scores).extracting(SentimentScore::getMissingPattern).contains("l,a,v", "l,a");
        assertThat(SharedModels.users(model)).as("model released when the job ended").isZero();

        List<Histogram> batchSizes = new ArrayList<>();
        metricsOfJob("scoring in batches").forEach(e -> {
            if (e.getKey().equals("batchSize") && e.getValue() instanceof Histogram histogram) {
                batchSizes.add(histogram);
            }
        });
        assertThat(batchSizes).as("one batchSize histogram per scorer subtask").hasSize(2);
        assertThat(batchSizes.stream().mapToLong(h -> h.getStatistics().getMax()).max().orElse(0))
                .as("windows of different participants share a TensorFlow call").isGreaterThan(1);
        assertThat(batchSizes.stream().mapToLong(h -> h.getStatistics().getMax()).max().orElse(0))
                .as("batches are bounded by " + ScoringOptions.BATCH_SIZE.key()).isLessThanOrEqualTo(16);
        long rowsScored = 0;
        for (Histogram h : batchSizes) {
            rowsScored += java.util.Arrays.stream(h.getStatistics().getValues()).sum();
        }
        assertThat(rowsScored).as("every window scored exactly once").isEqualTo(windows.size());
    }

    @Test
    void aWindowTheModelCannotScoreIsRetriedThenDeadLetteredWhileItsBatchMatesAreScored() throws Exception {
        Path model = tmp.resolve("model");
        TinyContractModel.export(model, STEPS, DIMS, "tiny-8");
        Random random = new Random(5);
        List<AssembledWindow> windows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            windows.add(window(i, random));
        }
        // the validator refuses NaN input, but a model can still return NaN for a window: this one does
        AssembledWindow poison = windows.get(7);
        poison.masks[Modality.TEXT.ordinal()][0] = 1f;
        poison.values[Modality.TEXT.ordinal()][0] = Float.NaN;

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        Configuration config = new Configuration();
        config.set(ScoringOptions.BATCH_SIZE, 8);
        config.set(ScoringOptions.BATCH_MAX_WAIT, java.time.Duration.ofMillis(200));
        config.set(ScoringOptions.RETRY_BACKOFF, java.time.Duration.ofMillis(10));
        SingleOutputStreamOperator<SentimentScore> scored = Scoring.attach(env.fromData(windows), model.toString(), config);
        CloseableIterator<DeadLetter> failedIt = scored.getSideOutput(Scoring.FAILED_WINDOWS).collectAsync();
        CloseableIterator<SentimentScore> scoresIt = scored.collectAsync();
        env.execute("scoring failure");
        List<SentimentScore> scores = new ArrayList<>();
        scoresIt.forEachRemaining(scores::add);
        List<DeadLetter> failed = new ArrayList<>();
        failedIt.forEachRemaining(failed::add);

        assertThat(scores).as("every other window is scored, the job did not fail").hasSize(windows.size() - 1);
        assertThat(scores).extracting(SentimentScore::getParticipantId).doesNotContain(poison.participantId);
        assertThat(failed).hasSize(1);
        DeadLetter letter = failed.get(0);
        assertThat(letter.getReason()).isEqualTo(RejectReason.INFERENCE_FAILED.name());
        assertThat(letter.getSourceTopic()).isEqualTo(FailedWindows.SOURCE);
        assertThat(letter.getDetail()).contains(poison.participantId).contains("NaN");
        assertThat(new String(letter.getValue().array(), java.nio.charset.StandardCharsets.UTF_8))
                .as("the model's input travels with the dead letter").contains("\"participantId\":\"p-7\"")
                .contains("\"masks\"");

        long retries = 0;
        long rejected = 0;
        for (Map.Entry<String, Metric> e : metricsOfJob("scoring failure")) {
            if (e.getValue() instanceof Counter counter) {
                if (e.getKey().equals(HrlfMetrics.INFERENCE_RETRIES_METRIC)) {
                    retries += counter.getCount();
                } else if (e.getKey().equals(RejectReason.INFERENCE_FAILED.name())) {
                    rejected += counter.getCount();
                }
            }
        }
        assertThat(retries).as("the failing batch was retried before it was split").isGreaterThanOrEqualTo(
                ScoringOptions.MAX_ATTEMPTS.defaultValue() - 1);
        assertThat(rejected).isEqualTo(1);
    }

    /**
     * The real scorer, except that one window's TensorFlow call never returns (as a hung GPU driver or
     * a deadlocked native call would): Flink's async timeout must turn it into a dead letter.
     */
    private static final class HangingScorer extends ModelScoringFunction {
        private static final long serialVersionUID = 1L;
        private final String hangsOn;

        HangingScorer(String model, String hangsOn) {
            super(model, STEPS, DIMS, ScorerSettings.from(new Configuration()));
            this.hangsOn = hangsOn;
        }

        @Override
        public void asyncInvoke(AssembledWindow window, org.apache.flink.streaming.api.functions.async.ResultFuture<
                ScoringOutcome> resultFuture) {
            if (!window.participantId.equals(hangsOn)) {
                super.asyncInvoke(window, resultFuture);
            }
        }
    }

    @Test
    void aScorerCallThatHangsSendsItsWindowToTheDeadLetterTopicAfterTheTimeoutAndTheJobGoesOn() throws Exception {
        Path model = tmp.resolve("model");
        TinyContractModel.export(model, STEPS, DIMS, "tiny-9");
        Random random = new Random(3);
        List<AssembledWindow> windows = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            windows.add(window(i, random));
        }
        AssembledWindow hung = windows.get(4);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        // as Scoring.attach wires the scorer, with a short timeout (the job would otherwise have failed on it)
        SingleOutputStreamOperator<SentimentScore> scored = org.apache.flink.streaming.api.datastream.AsyncDataStream
                .orderedWait(env.fromData(windows), new HangingScorer(model.toString(), hung.participantId), 500,
                        java.util.concurrent.TimeUnit.MILLISECONDS, 16)
                .process(new ScoringOutcomeRouter());
        CloseableIterator<DeadLetter> failedIt = scored.getSideOutput(Scoring.FAILED_WINDOWS).collectAsync();
        CloseableIterator<SentimentScore> scoresIt = scored.collectAsync();
        env.execute("scoring hangs");
        List<SentimentScore> scores = new ArrayList<>();
        scoresIt.forEachRemaining(scores::add);
        List<DeadLetter> failed = new ArrayList<>();
        failedIt.forEachRemaining(failed::add);

        assertThat(scores).as("every other window is scored, the job finished").hasSize(windows.size() - 1);
        assertThat(scores).extracting(SentimentScore::getParticipantId).doesNotContain(hung.participantId);
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).getReason()).isEqualTo(RejectReason.SCORING_TIMED_OUT.name());
        assertThat(failed.get(0).getSourceTopic()).isEqualTo(FailedWindows.SOURCE);
        assertThat(failed.get(0).getDetail()).contains(hung.participantId).contains(ScoringOptions.ASYNC_TIMEOUT.key());
        long timedOut = 0;
        for (Map.Entry<String, Metric> e : metricsOfJob("scoring hangs")) {
            if (e.getValue() instanceof Counter counter && e.getKey().equals(RejectReason.SCORING_TIMED_OUT.name())) {
                timedOut += counter.getCount();
            }
        }
        assertThat(timedOut).as("per-reason counter").isEqualTo(1);
    }

    /** The reporter keeps the metrics of every job of this class; these are the named job's. */
    private static List<Map.Entry<String, Metric>> metricsOfJob(String jobName) {
        List<Map.Entry<String, Metric>> out = new ArrayList<>();
        METRICS.getMetricsByGroup().forEach((group, metrics) -> {
            if (jobName.equals(group.getAllVariables().get("<job_name>"))) {
                out.addAll(metrics.entrySet());
            }
        });
        return out;
    }
}
