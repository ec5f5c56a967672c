package io.hrlf.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.hrlf.avro.SentimentScore;
import io.hrlf.contract.ParticipantKey;
import io.hrlf.job.JobOptions;
import io.hrlf.model.testing.TinyContractModel;
import io.hrlf.testkit.CommittedConsumer;
import io.hrlf.testkit.EmbeddedKafka;
import io.hrlf.wire.WireFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/**
 * The shaded job jar on a real multi-process cluster: a JobManager and two TaskManager JVMs, the jar
 * submitted through the REST API, features from the demo's simulator (its own process, the shipped
 * {@code hrlf-demo.jar simulate}) through an embedded KRaft broker, scores read back read_committed.
 *
 * <p>What it proves that the MiniCluster tests cannot: the jar carries everything the job needs
 * beyond Flink (class loading child-first from the jar), Avro's trusted packages are set through
 * the cluster's {@code env.java.opts.all}, and TensorFlow's natives, on Flink's lib/, load once per
 * TaskManager JVM: the job is cancelled and submitted again into the same JVMs (a JVM refuses to load
 * a native library a second time from another class loader, which is what a per-job copy of
 * TensorFlow in the user jar would attempt).
 */
class StandaloneClusterITCase {
    private static final int STEPS = 8;
    private static final int[] DIMS = {32, 16, 16};
    private static final String MODEL_VERSION = "tiny-cluster-it";
    private static final Duration SCORES_TIMEOUT = Duration.ofSeconds(120);

    private final Path work = Path.of(System.getProperty("hrlf.cluster.work", "target/cluster-run"));
    private final Path flinkLib = Path.of(System.getProperty("hrlf.cluster.lib", "target/flink-dist/lib"));
    private final Path tensorflowLib = Path.of(System.getProperty("hrlf.tensorflow.lib", "../flink-job/target/flink-lib"));
    private final Path jobJar = Path.of(System.getProperty("hrlf.job.jar", "../flink-job/target/hrlf-job.jar"));
    private final Path demoJar = Path.of(System.getProperty("hrlf.demo.jar", "../demo/target/hrlf-demo.jar"));

    @Test
    void theJobJarScoresOnAStandaloneClusterAndCanBeResubmittedIntoTheSameTaskManagers() throws Exception {
        for (Path needed : List.of(jobJar, demoJar, flinkLib, tensorflowLib)) {
            assertThat(needed).as("built by `mvn package` before this test").exists();
        }
        Path model = work.resolve("model");
        TinyContractModel.export(model, STEPS, DIMS, MODEL_VERSION);
        String[] topics = {JobOptions.TOPIC_TEXT.defaultValue(), JobOptions.TOPIC_AUDIO.defaultValue(),
            JobOptions.TOPIC_VISION.defaultValue(), JobOptions.TOPIC_SCORES.defaultValue(),
            JobOptions.TOPIC_DEAD_LETTER.defaultValue()};

        Map<String, String> clusterConfig = Map.of(
                // TensorFlow is in lib/ (parent class loader); never let a job's copy shadow it
                "classloader.parent-first-patterns.additional", "org.tensorflow.;org.bytedeco.;com.google.protobuf.",
                "env.java.opts.all", "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.hrlf.avro",
                "parallelism.default", "2");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(2, topics);
            runOnCluster(kafka, model, clusterConfig);
        }
    }

    private void runOnCluster(EmbeddedKafka kafka, Path model, Map<String, String> clusterConfig) throws Exception {
        try (StandaloneFlinkCluster cluster = StandaloneFlinkCluster.start(work.resolve("flink"),
                     List.of(flinkLib, tensorflowLib), 2, clusterConfig);
             SimulatorProcess simulator = SimulatorProcess.start(demoJar, kafka.bootstrapServers(), model,
                     work.resolve("simulator.out"))) {
            List<String> args = List.of(
                    "--" + JobOptions.MODEL_PATH.key(), model.toAbsolutePath().toString(),
                    "--" + JobOptions.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers(),
                    "--" + JobOptions.CHECKPOINT_INTERVAL_DEFAULT.key(), "2 s");
            String jarId = cluster.uploadJar(jobJar);

            try (KafkaConsumer<byte[], byte[]> scores = CommittedConsumer.subscribe(kafka.clientProperties(),
                    "cluster-it", true, JobOptions.TOPIC_SCORES.defaultValue())) {
                String first = cluster.runJar(jarId, "io.hrlf.job.HrlfJob", args, 2);
                List<SentimentScore> firstScores = awaitScores(scores, 6, 0, cluster, simulator);
                assertScored(firstScores);

                cluster.cancel(first);
                awaitState(cluster, first, "CANCELED");
                long resubmitted = System.currentTimeMillis();
                String second = cluster.runJar(jarId, "io.hrlf.job.HrlfJob", args, 2);
                List<SentimentScore> secondScores = awaitScores(scores, 6, resubmitted, cluster, simulator);
                assertScored(secondScores);
                assertThat(cluster.jobState(second)).isEqualTo("RUNNING");
            }

            String taskManagers = cluster.output("taskmanager-1") + cluster.output("taskmanager-2");
            assertThat(taskManagers).as("the scorer ran in the TaskManager JVMs").contains("Loaded model");
            assertThat(taskManagers).doesNotContain("UnsatisfiedLinkError").doesNotContain("SecurityException");
        }
    }

    private static void assertScored(List<SentimentScore> scores) {
        Set<String> participants = new HashSet<>();
        for (SentimentScore score : scores) {
            assertThat(score.getModelVersion()).isEqualTo(MODEL_VERSION);
            assertThat(score.getScore()).isBetween(-3f, 3f);
            participants.add(new ParticipantKey(score.getCallId(), score.getParticipantId()).toString());
        }
        assertThat(participants).as("scores of several simulated participants").hasSizeGreaterThanOrEqualTo(2);
    }

    /** Scores emitted at or after {@code emittedSince}, until {@code wanted} have arrived. */
    private List<SentimentScore> awaitScores(KafkaConsumer<byte[], byte[]> consumer, int wanted, long emittedSince,
                                             StandaloneFlinkCluster cluster, SimulatorProcess simulator) throws java.io.IOException {
        List<SentimentScore> out = new ArrayList<>();
        long deadline = System.nanoTime() + SCORES_TIMEOUT.toNanos();
        while (out.size() < wanted && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                SentimentScore score = WireFormat.decodeScore(record.value());
                if (score.getEmitTimestampMillis().toEpochMilli() >= emittedSince) {
                    out.add(score);
                }
            }
        }
        assertThat(out).as("scores within %s; cluster and simulator output:%n%s%n%s", SCORES_TIMEOUT,
                cluster.logs(), simulator.output()).hasSizeGreaterThanOrEqualTo(wanted);
        return out;
    }

    private static void awaitState(StandaloneFlinkCluster cluster, String jobId, String state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!state.equals(cluster.jobState(jobId))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + jobId + " not " + state + "\n" + cluster.logs());
            }
            Thread.sleep(250);
        }
    }

    /** {@code java -jar hrlf-demo.jar simulate ...} in its own process, stopped (gracefully) at close. */
    private record SimulatorProcess(Process process, Path out) implements AutoCloseable {
        static SimulatorProcess start(Path demoJar, String bootstrap, Path model, Path out) throws Exception {
            Files.createDirectories(out.getParent());
            Process process = new ProcessBuilder(StandaloneFlinkCluster.javaExecutable(), "-jar", demoJar.toString(),
                    "simulate", "--bootstrap-servers", bootstrap, "--model", model.toString(),
                    "--calls", "2", "--participants", "2")
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            return new SimulatorProcess(process, out);
        }

        String output() {
            try {
                return Files.readString(out);
            } catch (Exception e) {
                return "(no simulator output: " + e.getMessage() + ")";
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
