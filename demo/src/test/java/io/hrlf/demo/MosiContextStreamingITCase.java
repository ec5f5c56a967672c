package io.hrlf.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.hrlf.avro.SentimentScore;
import io.hrlf.contract.MissingPattern;
import io.hrlf.contract.Modality;
import io.hrlf.job.HrlfJob;
import io.hrlf.job.JobOptions;
import io.hrlf.model.SentimentModel;
import io.hrlf.testkit.EmbeddedKafka;
import io.hrlf.training.data.CsdFolder;
import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.training.eval.Evaluator;
import io.hrlf.training.eval.SavedModelPredictor;
import io.hrlf.training.export.ModelExport;
import io.hrlf.training.train.TrainingData;
import io.hrlf.training.train.TrainingListener;
import io.hrlf.training.train.TrainingOptions;
import io.hrlf.window.WindowOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's target on real data: a small HRLF model with context (K = 8, d_c = 32) trained on the
 * CMU-MOSI training videos, served by the whole job on an embedded Kafka broker and a local Flink
 * MiniCluster (parallelism 2, exactly-once sinks). The dev videos are replayed as calls, one
 * participant per video and one 5-second window per segment, in time order, with the text lost for
 * good half-way through each video (the "lost mid-video" input of {@link Evaluator#lostMidwayInputs},
 * condition audio + vision). Every segment must be scored exactly once, with the score the offline
 * in-order replay ({@link SavedModelPredictor}, core's serving code path) gives within 1e-4, and
 * nothing may reach the dead-letter topic.
 *
 * <p>The context must change most scores (against the same model scoring each segment with an empty
 * context) by far more than the tolerance: otherwise a job that ignored the context would pass too.
 * Here because only this module has both the job and the training code. Skipped without the data
 * ({@code -Dhrlf.shared.data}, by default {@code ../shared/data} beside the checkout).
 */
class MosiContextStreamingITCase {
    private static final int STEPS = 1; // the bc-LSTM release has one feature vector per segment
    private static final int CONTEXT_WINDOWS = 8;
    private static final int CONTEXT_DIM = 32;
    /** Few epochs: a weak model is enough, the test compares two ways of computing its scores. */
    private static final TrainingOptions OPTIONS = TrainingOptions.defaults().withEpochs(3)
            .withContext(CONTEXT_WINDOWS, CONTEXT_DIM).withContextEpochs(2);
    private static final MissingPattern SECOND_HALF = MissingPattern.present(Modality.AUDIO, Modality.VISION);
    private static final String VERSION = "mosi-context-it";
    private static final Duration WINDOW = Duration.ofSeconds(5);
    private static final int PARALLELISM = 2;
    /** One per source subtask, so that no source is idle and the watermark is the minimum over all data. */
    private static final int PARTITIONS = PARALLELISM;
    private static final float TOLERANCE = 1e-4f;
    /** A score the context moved by more than this (ten times the tolerance) counts as changed by it. */
    private static final float CHANGED = 10 * TOLERANCE;
    private static final String SCORES = JobOptions.TOPIC_SCORES.defaultValue();
    private static final String DEAD_LETTERS = JobOptions.TOPIC_DEAD_LETTER.defaultValue();

    @TempDir
    Path tmp;

    @Test
    void streamScoresOfTheDevVideosEqualTheOfflineInOrderReplayWithTextLostMidVideo() throws Exception {
        Path mosi = Path.of(System.getProperty("hrlf.shared.data", "../../shared/data"), "cmu-mosi");
        assumeThat(Files.isDirectory(mosi.resolve("train")) && Files.isDirectory(mosi.resolve("dev")))
                .as("CMU-MOSI train/dev data not found under %s; skipping the real-data context test", mosi).isTrue();
        MultimodalDataset train = CsdFolder.load(mosi.resolve("train"), STEPS);
        MultimodalDataset dev = CsdFolder.load(mosi.resolve("dev"), STEPS);

        long started = System.nanoTime();
        Path model = tmp.resolve("model");
        // no selection set: the last epoch of every stage is kept, the context stage's included
        ModelExport.trainAndExport(new TrainingData(train, null, null), dev, OPTIONS, TrainingListener.SILENT, model,
                VERSION);
        long trained = System.nanoTime();

        MultimodalDataset lost = Evaluator.lostMidwayInputs(dev, SECOND_HALF);
        float[] offline;
        float[] alone;
        try (SentimentModel served = SentimentModel.load(model)) {
            assertThat(served.context()).as("exported context").hasValueSatisfying(spec -> {
                assertThat(spec.windows()).isEqualTo(CONTEXT_WINDOWS);
                assertThat(spec.dimension()).isEqualTo(CONTEXT_DIM);
            });
            offline = new SavedModelPredictor(served).predict(lost);
            alone = new SavedModelPredictor(served).predict(eachRowAlone(lost));
        }

        DatasetCalls calls = new DatasetCalls(lost, WINDOW);
        Map<String, List<SentimentScore>> streamed;
        List<String> deadLetters;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(PARTITIONS, topic(Modality.TEXT), topic(Modality.AUDIO), topic(Modality.VISION));
            kafka.createTopics(1, SCORES, DEAD_LETTERS);
            JobClient job = start(kafka, model);
            try (KafkaProducer<byte[], byte[]> producer = DatasetCalls.producer(kafka)) {
                Function<Modality, String> topics = MosiContextStreamingITCase::topic;
                calls.send(producer, topics);
                calls.sendSentinels(producer, topics, PARTITIONS, Duration.ofMinutes(1));
                producer.flush();
                streamed = DatasetCalls.awaitScores(kafka, SCORES, lost.size(), Duration.ofSeconds(120));
                deadLetters = DatasetCalls.deadLetters(kafka, DEAD_LETTERS, Duration.ofSeconds(2));
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
                // the job's Kafka clients must be gone before the broker stops; a cancelled job's result is a failure
                job.getJobExecutionResult().handle((result, failure) -> null).get(30, TimeUnit.SECONDS);
            }
        }
        long streamedAt = System.nanoTime();

        boolean[] secondHalf = Evaluator.secondHalves(lost);
        Set<String> expectedKeys = new LinkedHashSet<>();
        List<String> mismatches = new ArrayList<>();
        int withEarlierWindows = 0;
        int changedByContext = 0;
        double contextEffect = 0;
        double largestDifference = 0;
        for (int row = 0; row < lost.size(); row++) {
            String key = calls.key(row);
            expectedKeys.add(key);
            List<SentimentScore> got = streamed.get(key);
            assertThat(got).as("scores of %s", key).hasSize(1);
            SentimentScore score = got.get(0);
            assertThat(score.getModelVersion()).isEqualTo(VERSION);
            for (Modality m : Modality.ALL) {
                assertThat(score.getModalities().get(m.ordinal()).getPresent()).as("%s %s present", key, m)
                        .isEqualTo(!secondHalf[row] || SECOND_HALF.isPresent(m));
            }
            largestDifference = Math.max(largestDifference, Math.abs(score.getScore() - offline[row]));
            if (Math.abs(score.getScore() - offline[row]) > TOLERANCE) {
                mismatches.add(key + ": stream " + score.getScore() + ", offline " + offline[row]);
            }
            if (calls.position(row) > 0) {
                withEarlierWindows++;
                changedByContext += Math.abs(offline[row] - alone[row]) > CHANGED ? 1 : 0;
                contextEffect += Math.abs(offline[row] - alone[row]);
            }
        }
        assertThat(streamed.keySet()).as("windows scored").isEqualTo(expectedKeys);
        assertThat(mismatches).as("segments whose stream score differs from the offline in-order replay").isEmpty();
        assertThat(deadLetters).as("dead letters").isEmpty();
        // the comparison has teeth: scoring without (or with the wrong) context would differ on most segments
        assertThat(changedByContext).as("segments with earlier windows whose score their context changed by > %s",
                CHANGED).isGreaterThan(withEarlierWindows / 2);
        System.out.printf("MosiContextStreamingITCase: %d segments of %d dev videos streamed, each equal to the "
                        + "offline replay within %s (largest difference %.2e); context changed %d of %d segments with "
                        + "earlier windows (mean |change| %.3f); training %.1f s, offline replays and stream %.1f s%n",
                lost.size(), expectedKeys.stream().map(k -> k.split("/")[0]).distinct().count(), TOLERANCE,
                largestDifference, changedByContext, withEarlierWindows, contextEffect / withEarlierWindows,
                (trained - started) / 1e9, (streamedAt - trained) / 1e9);
    }

    /** The same rows, each its own video: the in-order replay scores every one with an empty context. */
    private static MultimodalDataset eachRowAlone(MultimodalDataset data) {
        String[] ids = new String[data.size()];
        for (int row = 0; row < ids.length; row++) {
            ids[row] = "row-" + row;
        }
        return new MultimodalDataset(data.steps(), data.dims(), data.allValues(), data.allMasks(), data.labels(), ids,
                data.description() + ", each row alone");
    }

    private static String topic(Modality m) {
        return switch (m) {
            case TEXT -> JobOptions.TOPIC_TEXT.defaultValue();
            case AUDIO -> JobOptions.TOPIC_AUDIO.defaultValue();
            case VISION -> JobOptions.TOPIC_VISION.defaultValue();
        };
    }

    /** The job as flink-job's integration tests run it (TestJob), on a local MiniCluster of its own. */
    private static JobClient start(EmbeddedKafka kafka, Path model) throws Exception {
        Configuration config = new Configuration();
        config.set(JobOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        config.set(JobOptions.MODEL_PATH, model.toString());
        config.set(JobOptions.OUT_OF_ORDERNESS, Duration.ofMillis(200));
        // every partition gets data and the sentinel, so no source is ever idle: the watermark is the true minimum
        config.set(JobOptions.IDLENESS, Duration.ofMinutes(10));
        config.set(WindowOptions.SIZE, WINDOW);
        config.set(WindowOptions.SLIDE, WINDOW);
        config.set(WindowOptions.ALLOWED_LATENESS, Duration.ofSeconds(1));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(PARALLELISM);
        // short, so that the exactly-once sinks commit (and scores become readable) soon
        env.enableCheckpointing(300);
        HrlfJob.build(env, config);
        return env.executeAsync("hrlf-mosi-context-it");
    }
}
