package io.hrlf.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hrlf.bench.ProcessMemory;
import io.hrlf.contract.ModelMetadata;
import io.hrlf.job.HrlfJob;
import io.hrlf.job.JobOptions;
import io.hrlf.testkit.EmbeddedKafka;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Soak (profile {@code soak}: {@code ./mvnw -pl benchmarks -am -Psoak verify [-Dsoak.minutes=5]}; the
 * profile skips the unit tests): the
 * whole job streams simulated calls without pause while calls end and new ones begin (a new
 * generation of calls every minute, each with new call ids), and every 15 s the test samples the
 * heap after a GC, the process RSS (heap + TensorFlow's native memory + Kafka's and Flink's buffers)
 * and the size of the last completed checkpoint. After the first third of the run (warm-up) all
 * three must stay flat: state of calls that ended is cleared by the windows' cleanup timers, and
 * nothing native leaks per batch. Writes target/soak/soak.json.
 */
class JobSoak {
    private static final int CALLS_PER_GENERATION = 10;
    private static final Duration GENERATION = Duration.ofSeconds(60);
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private record Sample(long atSeconds, long heapMb, long rssMb, long checkpointBytes, long windowsScored) {}

    @Test
    void memoryAndStateStayFlatWhileCallsComeAndGo() throws Exception {
        Duration length = Duration.ofMinutes(Long.getLong("soak.minutes", 5));
        Path modelDir = tmp.resolve("model");
        SyntheticDemoModel.train(modelDir, 3);
        int[] dims = ModelMetadata.read(modelDir).dimensionsInOrder();
        String[] topics = {"hrlf.features.text", "hrlf.features.audio", "hrlf.features.vision"};
        int restPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            restPort = socket.getLocalPort();
        }
        List<Sample> samples = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(2, topics[0], topics[1], topics[2], "hrlf.sentiment.scores", "hrlf.features.dlq");
            Configuration jobConfig = new Configuration();
            jobConfig.set(JobOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            jobConfig.set(JobOptions.MODEL_PATH, modelDir.toString());
            Configuration cluster = new Configuration();
            cluster.set(RestOptions.PORT, restPort);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(cluster);
            env.setParallelism(2);
            env.enableCheckpointing(5_000);
            HrlfJob.build(env, jobConfig);
            JobClient job = env.executeAsync("hrlf-soak");
            HttpClient http = HttpClient.newHttpClient();
            long started = System.currentTimeMillis();
            try (KafkaProducer<byte[], byte[]> producer = DemoMain.producer(kafka.clientProperties())) {
                Thread calls = new Thread(() -> runGenerations(producer, topics, dims, started, length), "soak-calls");
                calls.setDaemon(true);
                calls.start();
                while (System.currentTimeMillis() - started < length.toMillis()) {
                    Thread.sleep(SAMPLE_EVERY.toMillis());
                    samples.add(sample(http, restPort, job.getJobID().toString(), started));
                    System.out.println("soak " + samples.get(samples.size() - 1));
                }
                calls.join(GENERATION.toMillis());
            } finally {
                job.cancel().get();
            }
        }
        Path out = Path.of(System.getProperty("soak.out", "target/soak"));
        Files.createDirectories(out);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("minutes", length.toMinutes());
        report.put("callsPerGeneration", CALLS_PER_GENERATION);
        report.put("generationSeconds", GENERATION.toSeconds());
        report.put("samples", samples);
        JSON.writerWithDefaultPrettyPrinter().writeValue(out.resolve("soak.json").toFile(), report);

        int third = samples.size() / 3;
        assertThat(third).as("enough samples for a warm-up and a comparison").isGreaterThanOrEqualTo(2);
        List<Sample> afterWarmUp = samples.subList(third, samples.size());
        Sample first = afterWarmUp.get(0);
        Sample last = samples.get(samples.size() - 1);
        assertThat(last.windowsScored()).as("the job kept scoring").isGreaterThan(first.windowsScored());
        assertThat(maxOf(afterWarmUp, Sample::heapMb)).as("heap after GC, MB")
                .isLessThanOrEqualTo((long) (first.heapMb() * 1.3) + 64);
        assertThat(maxOf(afterWarmUp, Sample::rssMb)).as("process RSS, MB")
                .isLessThanOrEqualTo((long) (first.rssMb() * 1.15) + 128);
        assertThat(maxOf(afterWarmUp, Sample::checkpointBytes)).as("checkpointed state, bytes: calls that ended are cleared")
                .isLessThanOrEqualTo(Math.max(2 * first.checkpointBytes(), first.checkpointBytes() + 1_000_000));
    }

    private static long maxOf(List<Sample> samples, java.util.function.ToLongFunction<Sample> field) {
        return samples.stream().mapToLong(field).max().orElseThrow();
    }

    /** New calls every generation (new ids), so old calls end and their state must go. */
    private static void runGenerations(KafkaProducer<byte[], byte[]> producer, String[] topics, int[] dims, long started,
                                       Duration length) {
        Random random = new Random(3);
        for (int generation = 1; System.currentTimeMillis() - started < length.toMillis(); generation++) {
            List<List<SimulatedParticipant>> calls = new ArrayList<>();
            for (int c = 0; c < CALLS_PER_GENERATION; c++) {
                calls.add(List.of(new SimulatedParticipant("g" + generation + "-call-" + c, "alice", dims, random),
                        new SimulatedParticipant("g" + generation + "-call-" + c, "bob", dims, random)));
            }
            long start = (System.currentTimeMillis() / 1000 + 1) * 1000;
            new CallSimulator(producer, topics, calls, dims, start, GENERATION.toSeconds()).run();
        }
    }

    private static Sample sample(HttpClient http, int restPort, String jobId, long started) throws Exception {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
        long rss = ProcessMemory.rssKb() / 1024;
        JsonNode checkpoints = get(http, restPort, "/jobs/" + jobId + "/checkpoints");
        long stateBytes = checkpoints.path("latest").path("completed").path("state_size").asLong(
                checkpoints.path("latest").path("completed").path("checkpointed_size").asLong(0));
        long scored = 0;
        JsonNode job = get(http, restPort, "/jobs/" + jobId);
        for (JsonNode vertex : job.path("vertices")) {
            if (vertex.path("name").asText().contains("Score windows")) {
                JsonNode sum = get(http, restPort, "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText()
                        + "/subtasks/metrics?agg=sum&get=Score_windows_%28HRLF_student__TF_Java%29.hrlf.windowsScored");
                scored = sum.path(0).path("sum").asLong();
            }
        }
        return new Sample((System.currentTimeMillis() - started) / 1000, heap, rss, stateBytes, scored);
    }

    private static JsonNode get(HttpClient http, int port, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }
}
