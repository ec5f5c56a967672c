package io.hrlf.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.hrlf.avro.SentimentScore;
import io.hrlf.job.JobOptions;
import io.hrlf.model.testing.TinyContractModel;
import io.hrlf.scoring.ScoringOptions;
import io.hrlf.testkit.CallFeatureStreams;
import io.hrlf.testkit.EmbeddedKafka;
import io.hrlf.window.WindowOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What every crash test stands on: an embedded KRaft broker with the job's topics, the tiny model, a
 * standalone cluster of separate JobManager and TaskManager JVMs (two TaskManagers of one slot each, so
 * that a lost TaskManager leaves the job short of a slot until a replacement registers), and the
 * shaded job jar submitted to it with exactly-once sinks and a short checkpoint interval.
 */
final class CrashRig implements AutoCloseable {
    static final int PARTITIONS = 2;
    static final int PARALLELISM = 2;
    /**
     * Short, so that the tests are; long enough that a kill {@link #awaitScoreAfterLatestCheckpoint} times
     * rarely races the next checkpoint's completion.
     */
    static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(2);
    static final String ENTRY_CLASS = "io.hrlf.job.HrlfJob";
    static final int SIGKILL_STATUS = 128 + 9;

    private static final Path WORK = Path.of(System.getProperty("hrlf.cluster.work", "target/cluster-run"));
    private static final Path FLINK_LIB = Path.of(System.getProperty("hrlf.cluster.lib", "target/flink-dist/lib"));
    private static final Path TENSORFLOW_LIB =
            Path.of(System.getProperty("hrlf.tensorflow.lib", "../flink-job/target/flink-lib"));
    private static final Path JOB_JAR = Path.of(System.getProperty("hrlf.job.jar", "../flink-job/target/hrlf-job.jar"));

    private final Path dir;
    private final EmbeddedKafka kafka;
    private final Configuration jobConfig;
    private StandaloneFlinkCluster cluster;

    private CrashRig(Path dir, EmbeddedKafka kafka, Configuration jobConfig) {
        this.dir = dir;
        this.kafka = kafka;
        this.jobConfig = jobConfig;
    }

    /** The directory of a test's own cluster, model, checkpoints and HA data, under the module's work dir. */
    static Path workDir(String name) {
        return WORK.resolve(name).toAbsolutePath();
    }

    /**
     * Broker, topics, model and the cluster (one JobManager, two TaskManagers) with the crash tests'
     * settings plus {@code extraClusterConfig} (e.g. HA).
     */
    static CrashRig start(Path dir, Map<String, String> extraClusterConfig) throws Exception {
        for (Path needed : List.of(JOB_JAR, FLINK_LIB, TENSORFLOW_LIB)) {
            assertThat(needed).as("built by `mvn package` before this test").exists();
        }
        Path model = dir.resolve("model");
        TinyContractModel.export(model, CallFeatureStreams.STEPS, CallFeatureStreams.DIMS, "tiny-crash-it");
        EmbeddedKafka kafka = EmbeddedKafka.start();
        CrashRig rig = new CrashRig(dir, kafka, jobConfig(kafka, model));
        try {
            kafka.createTopics(PARTITIONS, JobOptions.TOPIC_TEXT.defaultValue(), JobOptions.TOPIC_AUDIO.defaultValue(),
                    JobOptions.TOPIC_VISION.defaultValue());
            kafka.createTopics(1, JobOptions.TOPIC_SCORES.defaultValue(), JobOptions.TOPIC_DEAD_LETTER.defaultValue());
            Map<String, String> clusterConfig = new LinkedHashMap<>(clusterConfig(dir));
            clusterConfig.putAll(extraClusterConfig);
            rig.cluster = StandaloneFlinkCluster.start(dir.resolve("flink"), List.of(FLINK_LIB, TENSORFLOW_LIB),
                    PARALLELISM, clusterConfig);
            return rig;
        } catch (Exception | AssertionError e) {
            rig.close();
            throw e;
        }
    }

    private static Map<String, String> clusterConfig(Path dir) {
        Map<String, String> config = new LinkedHashMap<>();
        // TensorFlow is in lib/ (parent class loader); never let a job's copy shadow it
        config.put("classloader.parent-first-patterns.additional", "org.tensorflow.;org.bytedeco.;com.google.protobuf.");
        config.put("env.java.opts.all", "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.hrlf.avro");
        config.put("parallelism.default", Integer.toString(PARALLELISM));
        // on disk, outside any process, as in a real deployment: a new JobManager must be able to read them
        config.put("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
        // a budget no number of kills in these tests can exhaust, with a short delay to keep them short
        config.put("restart-strategy.type", "fixed-delay");
        config.put("restart-strategy.fixed-delay.attempts", "1000");
        config.put("restart-strategy.fixed-delay.delay", "1 s");
        // a killed TaskManager's slots are offered again until its heartbeat times out (50 s by default);
        // the heartbeat RPC failing against a dead process ends that sooner
        config.put("heartbeat.interval", "2000");
        config.put("heartbeat.timeout", "20000");
        return config;
    }

    private static Configuration jobConfig(EmbeddedKafka kafka, Path model) {
        Configuration config = new Configuration();
        config.set(JobOptions.MODEL_PATH, model.toString());
        config.set(JobOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        config.set(JobOptions.CHECKPOINT_INTERVAL_DEFAULT, CHECKPOINT_INTERVAL);
        config.set(JobOptions.OUT_OF_ORDERNESS, Duration.ofMillis(200));
        // every source subtask owns a partition that gets data (sentinels go to each), so none is idle
        config.set(JobOptions.IDLENESS, Duration.ofMinutes(10));
        config.set(WindowOptions.SIZE, Duration.ofMillis(CallFeatureStreams.WINDOW));
        config.set(WindowOptions.SLIDE, Duration.ofMillis(CallFeatureStreams.WINDOW));
        config.set(WindowOptions.ALLOWED_LATENESS, Duration.ofMillis(1_000));
        config.set(ScoringOptions.BATCH_MAX_WAIT, Duration.ofMillis(10));
        return config;
    }

    StandaloneFlinkCluster cluster() {
        return cluster;
    }

    EmbeddedKafka kafka() {
        return kafka;
    }

    Path dir() {
        return dir;
    }

    /** Uploads the job jar and runs it; returns once every task is RUNNING, with the job id. */
    String submitJob() throws Exception {
        List<String> args = new ArrayList<>();
        jobConfig.toMap().forEach((key, value) -> {
            args.add("--" + key);
            args.add(value);
        });
        String jobId = cluster.runJar(cluster.uploadJar(JOB_JAR), ENTRY_CLASS, args, PARALLELISM);
        cluster.await("job " + jobId + " running", Duration.ofSeconds(120), () -> cluster.fullyRunning(jobId));
        return jobId;
    }

    /** The known calls, ready to {@link KnownCalls#start}. */
    KnownCalls calls(int participants, int windows, Duration pace) {
        return new KnownCalls(kafka, jobConfig, PARTITIONS, participants, windows, pace);
    }

    CommittedRecords scores() {
        return new CommittedRecords(kafka, JobOptions.TOPIC_SCORES.defaultValue());
    }

    CommittedRecords deadLetters() {
        return new CommittedRecords(kafka, JobOptions.TOPIC_DEAD_LETTER.defaultValue());
    }

    /**
     * Reads committed scores until {@code windows} participant windows are in and a checkpoint has
     * completed: the moment a crash test strikes.
     */
    void awaitCommitted(String jobId, CommittedRecords scores, int windows, Duration timeout) throws Exception {
        cluster.await(windows + " windows committed and a checkpoint completed", timeout, () -> {
            scores.pollScores(Duration.ofMillis(200));
            return scores.participantWindows() >= windows && cluster.checkpoints(jobId).completed() > 0;
        });
    }

    /**
     * Until the job has appended a score to the score topic after its latest completed checkpoint (read
     * uncommitted, from the end of the log at the time that checkpoint was seen complete); returns that
     * checkpoint's id. A kill right after this finds scores that no completed checkpoint covers: the
     * restored job emits them again, and only the exactly-once sink's aborted transaction keeps the first
     * copies from read_committed consumers. Without this wait a kill could land between a checkpoint
     * and the next window firing, where an at-least-once sink duplicates nothing either.
     */
    long awaitScoreAfterLatestCheckpoint(String jobId, Duration timeout) throws Exception {
        Properties props = uncommittedConsumerProperties();
        TopicPartition scores = new TopicPartition(JobOptions.TOPIC_SCORES.defaultValue(), 0);
        long[] checkpoint = {Long.MIN_VALUE};
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.assign(List.of(scores));
            cluster.await("a score appended after the latest completed checkpoint", timeout, () -> {
                long latest = cluster.checkpoints(jobId).latestCompletedId();
                if (latest != checkpoint[0]) {
                    // transaction markers move the log end too, but only records are polled
                    checkpoint[0] = latest;
                    consumer.seek(scores, consumer.endOffsets(List.of(scores)).get(scores));
                    return false;
                }
                return !consumer.poll(Duration.ofMillis(100)).isEmpty()
                        && cluster.checkpoints(jobId).latestCompletedId() == latest;
            });
        }
        return checkpoint[0];
    }

    /** Every record in the score topic, committed, aborted or open (read_uncommitted). */
    long scoreRecordsWritten() {
        Properties props = uncommittedConsumerProperties();
        TopicPartition scores = new TopicPartition(JobOptions.TOPIC_SCORES.defaultValue(), 0);
        long records = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.assign(List.of(scores));
            consumer.seekToBeginning(List.of(scores));
            long end = consumer.endOffsets(List.of(scores)).get(scores);
            while (consumer.position(scores) < end) {
                records += consumer.poll(Duration.ofMillis(200)).count();
            }
        }
        return records;
    }

    /** Kills a process of the rig's cluster and waits for the job's recovery. */
    @FunctionalInterface
    interface Killer {
        Kill kill(CrashRig rig, String jobId) throws Exception;
    }

    /**
     * The crash tests' scenario: the job submitted, the known calls streaming; once scores are committed,
     * {@code killer} strikes (as soon as the job has written scores no completed checkpoint covers) and
     * waits for the recovery. Then: the process died of SIGKILL, the job restored a checkpoint at
     * least as recent as the last one before the kill, some windows were committed before the kill and
     * input was still coming, every window is on the score topic exactly once (read_committed) with its
     * expected score, and nothing was dead-lettered.
     */
    Kill killMidStream(int participants, int windows, Duration pace, Killer killer) throws Exception {
        try (CommittedRecords scores = scores(); CommittedRecords deadLetters = deadLetters()) {
            String job = submitJob();
            // held at two thirds of the input at the latest: the kill must land while data is still coming
            try (KnownCalls calls = calls(participants, windows, pace).holdBefore(windows * 2 / 3).start()) {
                awaitCommitted(job, scores, 2 * participants, Duration.ofSeconds(120));
                int committedBeforeKill = scores.participantWindows();
                int fedBeforeKill = calls.windowsSent();
                calls.release();

                Kill kill = killer.kill(this, job);

                assertThat(kill.exitStatus()).as("exit status of %s", kill.process()).isEqualTo(SIGKILL_STATUS);
                // a JobManager that ran the job afresh would restore nothing (-1)
                assertThat(kill.restoredCheckpoint()).as("checkpoint restored after %s", kill)
                        .isGreaterThanOrEqualTo(kill.checkpointBefore()).isPositive();
                calls.awaitFed(Duration.ofSeconds(60));
                Map<String, List<SentimentScore>> all = scores.awaitParticipantWindows(calls.expectedScores(),
                        Duration.ofSeconds(120), Duration.ofSeconds(5));
                calls.assertEveryWindowExactlyOnce(all);
                assertThat(committedBeforeKill).as("windows committed before the kill, of %s", calls.expectedScores())
                        .isPositive().isLessThan(calls.expectedScores());
                assertThat(fedBeforeKill).as("windows produced before the kill, of %s", windows).isLessThan(windows);
                assertThat(deadLetters.poll(Duration.ofSeconds(2))).as("dead letters").isZero();
                System.out.printf("%s: %d of %d windows committed and %d of %d windows produced before the kill, "
                                + "%d score records committed, %d written in all (aborted ones too); %s%n",
                        job, committedBeforeKill, calls.expectedScores(), fedBeforeKill, windows,
                        scores.records(), scoreRecordsWritten(), kill);
                return kill;
            }
        }
    }

    /**
     * What a kill did: the process, its exit status, the latest completed checkpoint when it was killed
     * (scores written after it were in flight) and the one the job restored, the job's restarts as the
     * leading JobManager counts them, and the time from the kill to every task running again.
     */
    record Kill(String process, int exitStatus, long checkpointBefore, long restoredCheckpoint, long restarts,
                Duration recovery) {}

    /**
     * Once the job has written scores no checkpoint covers ({@link #awaitScoreAfterLatestCheckpoint}),
     * SIGKILL to the TaskManager {@code name}, a replacement started (the job is short of a slot without
     * it), and back once the job has restarted and every task runs again.
     */
    Kill killTaskManager(String jobId, String name, Duration timeout) throws Exception {
        long restartsBefore = cluster.restarts(jobId);
        long checkpointBefore = awaitScoreAfterLatestCheckpoint(jobId, timeout);
        long killed = System.nanoTime();
        int status = cluster.kill(name);
        cluster.startTaskManager();
        cluster.await("job " + jobId + " restarted after " + name + " was killed", timeout,
                () -> cluster.restarts(jobId) > restartsBefore && cluster.fullyRunning(jobId));
        return new Kill(name, status, checkpointBefore, cluster.checkpoints(jobId).restoredId(),
                cluster.restarts(jobId), Duration.ofNanos(System.nanoTime() - killed));
    }

    /**
     * Once the job has written scores no checkpoint covers ({@link #awaitScoreAfterLatestCheckpoint}),
     * SIGKILL to the running JobManager and a new one started with the same configuration; back once the
     * new one runs the job under the same id, and no other job (without HA it would know no job at all).
     */
    Kill killJobManager(String jobId, Duration timeout) throws Exception {
        String name = cluster.runningProcesses().stream().filter(p -> p.startsWith("jobmanager")).findFirst()
                .orElseThrow();
        long checkpointBefore = awaitScoreAfterLatestCheckpoint(jobId, timeout);
        long killed = System.nanoTime();
        int status = cluster.kill(name);
        cluster.startJobManager();
        cluster.await("job " + jobId + " recovered by a new JobManager after " + name + " was killed", timeout,
                () -> cluster.jobIds().equals(List.of(jobId)) && cluster.fullyRunning(jobId));
        return new Kill(name, status, checkpointBefore, cluster.checkpoints(jobId).restoredId(),
                cluster.restarts(jobId), Duration.ofNanos(System.nanoTime() - killed));
    }

    private Properties uncommittedConsumerProperties() {
        Properties props = kafka.clientProperties();
        props.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        props.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    @Override
    public void close() throws Exception {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            kafka.close();
        }
    }
}
