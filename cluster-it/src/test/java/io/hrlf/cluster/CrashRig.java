package io.hrlf.cluster;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.apache.flink.configuration.Configuration;

/**
 * What every crash test stands on: an embedded KRaft broker with the job's topics, the tiny model, a
 * standalone cluster of separate JobManager and TaskManager JVMs (two TaskManagers of one slot each, so
 * that a lost TaskManager leaves the job short of a slot until a replacement registers), and the
 * shaded job jar submitted to it with exactly-once sinks and a short checkpoint interval.
 */
final class CrashRig implements AutoCloseable {
    static final int PARTITIONS = 2;
    static final int PARALLELISM = 2;
    static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);
    static final String ENTRY_CLASS = "io.hrlf.job.HrlfJob";

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

    /** What a kill did: the process, the checkpoints on either side of it, and the time to recover. */
    record Kill(String process, int exitStatus, long checkpointBefore, long restoredCheckpoint, long restarts,
                Duration recovery) {}

    /**
     * SIGKILL to the TaskManager {@code name}, a replacement started (the job is short of a slot without
     * it), and back once the job has restarted and every task runs again.
     */
    Kill killTaskManager(String jobId, String name, Duration timeout) throws Exception {
        long checkpointBefore = cluster.checkpoints(jobId).latestCompletedId();
        long restartsBefore = cluster.restarts(jobId);
        long killed = System.nanoTime();
        int status = cluster.kill(name);
        cluster.startTaskManager();
        cluster.await("job " + jobId + " restarted after " + name + " was killed", timeout,
                () -> cluster.restarts(jobId) > restartsBefore && cluster.fullyRunning(jobId));
        return new Kill(name, status, checkpointBefore, cluster.checkpoints(jobId).restoredId(),
                cluster.restarts(jobId), Duration.ofNanos(System.nanoTime() - killed));
    }

    /**
     * SIGKILL to the running JobManager and a new one started with the same configuration; back once the
     * new one runs the job under the same id, and no other job (without HA it would know no job at all).
     */
    Kill killJobManager(String jobId, Duration timeout) throws Exception {
        String name = cluster.runningProcesses().stream().filter(p -> p.startsWith("jobmanager")).findFirst()
                .orElseThrow();
        long checkpointBefore = cluster.checkpoints(jobId).latestCompletedId();
        long killed = System.nanoTime();
        int status = cluster.kill(name);
        cluster.startJobManager();
        cluster.await("job " + jobId + " recovered by a new JobManager after " + name + " was killed", timeout,
                () -> cluster.jobIds().equals(List.of(jobId)) && cluster.fullyRunning(jobId));
        return new Kill(name, status, checkpointBefore, cluster.checkpoints(jobId).restoredId(),
                cluster.restarts(jobId), Duration.ofNanos(System.nanoTime() - killed));
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
