package io.hrlf.job;

import io.hrlf.contract.Modality;
import io.hrlf.testkit.CallFeatureStreams;
import io.hrlf.testkit.EmbeddedKafka;
import io.hrlf.window.WindowOptions;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * How the job's integration tests set up, start and stop the whole job on the MiniCluster, so that
 * each test states only what it does differently (topics, credentials, batching, restart strategy).
 */
final class TestJob {
    /** One source subtask per input partition: the tests create two partitions per feature topic. */
    static final int PARALLELISM = 2;
    /** Short, so that the exactly-once sinks commit (and scores become readable) within a test's patience. */
    static final long CHECKPOINT_INTERVAL_MILLIS = 300;
    /** Partitions of each feature topic: one per source subtask. */
    static final int PARTITIONS = PARALLELISM;
    static final String SCORES = JobOptions.TOPIC_SCORES.defaultValue();
    static final String DEAD_LETTERS = JobOptions.TOPIC_DEAD_LETTER.defaultValue();

    private TestJob() {}

    /** The job's default topic of modality {@code m}. */
    static String topic(Modality m) {
        return switch (m) {
            case TEXT -> JobOptions.TOPIC_TEXT.defaultValue();
            case AUDIO -> JobOptions.TOPIC_AUDIO.defaultValue();
            case VISION -> JobOptions.TOPIC_VISION.defaultValue();
        };
    }

    /** The job's default topics: the feature topics with {@value #PARTITIONS} partitions each, the output topics with one. */
    static void createTopics(EmbeddedKafka kafka) {
        kafka.createTopics(PARTITIONS, topic(Modality.TEXT), topic(Modality.AUDIO), topic(Modality.VISION));
        kafka.createTopics(1, SCORES, DEAD_LETTERS);
    }

    /**
     * The settings every test shares: the broker, the model, the test kit's windows
     * ({@link CallFeatureStreams#WINDOW}) with 1 s allowed lateness and 200 ms out-of-orderness.
     */
    static Configuration config(String bootstrapServers, Path model) {
        Configuration config = new Configuration();
        config.set(JobOptions.BOOTSTRAP_SERVERS, bootstrapServers);
        config.set(JobOptions.MODEL_PATH, model.toString());
        config.set(JobOptions.OUT_OF_ORDERNESS, Duration.ofMillis(200));
        // Every source subtask owns a partition that gets data (sentinels go to each), so no source is ever
        // idle and the watermark is the true minimum over all of them: which frames are late does not depend
        // on how fast each source happens to read. (Idleness would let one source race ahead.)
        config.set(JobOptions.IDLENESS, Duration.ofMinutes(10));
        config.set(WindowOptions.SIZE, Duration.ofMillis(CallFeatureStreams.WINDOW));
        config.set(WindowOptions.SLIDE, Duration.ofMillis(CallFeatureStreams.WINDOW));
        config.set(WindowOptions.ALLOWED_LATENESS, Duration.ofMillis(1_000));
        return config;
    }

    /**
     * Builds the job from {@code jobConfig} in an environment made from {@code envConfig} (a savepoint
     * to restore, or the job's whole configuration as {@link HrlfJob#main} passes it) and submits it.
     */
    static JobClient start(Configuration envConfig, Configuration jobConfig, String name) throws Exception {
        return start(envConfig, jobConfig, name, Duration.ofMillis(CHECKPOINT_INTERVAL_MILLIS));
    }

    /** As {@link #start(Configuration, Configuration, String)}, checkpointing every {@code checkpointInterval}. */
    static JobClient start(Configuration envConfig, Configuration jobConfig, String name, Duration checkpointInterval)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(envConfig);
        env.setParallelism(PARALLELISM);
        env.enableCheckpointing(checkpointInterval.toMillis());
        HrlfJob.build(env, jobConfig);
        return env.executeAsync(name);
    }

    /** Cancels the job and waits until it has left the cluster. */
    static void cancelAndAwait(JobClient job) throws Exception {
        job.cancel().get();
        while (!job.getJobStatus().get().isGloballyTerminalState()) {
            Thread.sleep(50);
        }
    }
}
