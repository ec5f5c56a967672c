package io.hrlf.job;

import static io.hrlf.job.CallStreamsOverKafka.producer;
import static io.hrlf.job.CallStreamsOverKafka.send;
import static io.hrlf.job.CallStreamsOverKafka.sendToEveryPartition;
import static io.hrlf.testkit.CallFeatureStreams.expectedScore;
import static io.hrlf.testkit.CallFeatureStreams.sentinel;
import static io.hrlf.testkit.CallFeatureStreams.windowChunk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hrlf.avro.SentimentScore;
import io.hrlf.contract.Modality;
import io.hrlf.model.testing.TinyContractModel;
import io.hrlf.scoring.ScoringOptions;
import io.hrlf.testkit.CallFeatureStreams;
import io.hrlf.testkit.EmbeddedKafka;
import io.hrlf.window.WindowOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Nothing lost, nothing duplicated across faults: a task manager killed mid-stream, the Kafka broker
 * restarted mid-stream, and a stop with savepoint followed by a restore. Each test streams windows 0-4 of four participants, injects its
 * fault once some scores are committed, streams windows 5-9, and then reads the score topic
 * read_committed: every window of every participant exactly once, with the score the model gives its
 * complete input (a window half-filled before the fault must be whole after it).
 */
class FaultToleranceITCase {
    private static final int PARTICIPANTS = 4;
    private static final int PARTITIONS = 2;
    private static final long WINDOW = CallFeatureStreams.WINDOW;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(restartOnFailure())
            .setNumberTaskManagers(2).setNumberSlotsPerTaskManager(2).build());

    private static EmbeddedKafka kafka;

    @TempDir
    static Path tmp;

    private static Configuration restartOnFailure() {
        Configuration config = new Configuration();
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        // enough attempts to ride out a broker that is down for a few seconds
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 60);
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        return config;
    }

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** Topics and transactional ids of their own per test, so the two jobs never see each other. */
    private record Topics(String prefix) {
        String of(Modality m) {
            return prefix + ".features." + m.inputName();
        }

        String scores() {
            return prefix + ".scores";
        }

        void create() {
            kafka.createTopics(PARTITIONS, of(Modality.TEXT), of(Modality.AUDIO), of(Modality.VISION));
            kafka.createTopics(1, scores(), prefix + ".dlq");
        }

        Configuration jobConfig(Path model) {
            Configuration config = new Configuration();
            config.set(JobOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            config.set(JobOptions.MODEL_PATH, model.toString());
            config.set(JobOptions.TOPIC_TEXT, of(Modality.TEXT));
            config.set(JobOptions.TOPIC_AUDIO, of(Modality.AUDIO));
            config.set(JobOptions.TOPIC_VISION, of(Modality.VISION));
            config.set(JobOptions.TOPIC_SCORES, scores());
            config.set(JobOptions.TOPIC_DEAD_LETTER, prefix + ".dlq");
            config.set(JobOptions.GROUP_ID, prefix);
            config.set(JobOptions.TRANSACTIONAL_ID_PREFIX, prefix);
            config.set(JobOptions.OUT_OF_ORDERNESS, Duration.ofMillis(200));
            // every source subtask owns a partition that gets data (sentinels go to each), so none is idle
            config.set(JobOptions.IDLENESS, Duration.ofMinutes(10));
            config.set(WindowOptions.SIZE, Duration.ofMillis(WINDOW));
            config.set(WindowOptions.SLIDE, Duration.ofMillis(WINDOW));
            config.set(WindowOptions.ALLOWED_LATENESS, Duration.ofMillis(1_000));
            config.set(ScoringOptions.BATCH_MAX_WAIT, Duration.ofMillis(10));
            return config;
        }
    }

    private static JobClient start(Configuration jobConfig, Configuration envConfig) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(envConfig);
        env.setParallelism(2);
        env.enableCheckpointing(300);
        HrlfJob.build(env, jobConfig);
        return env.executeAsync("hrlf-fault-tolerance");
    }

    /** Windows [from, to) of every participant, all three modalities, except what {@code skip} says. */
    private static long sendWindows(KafkaProducer<byte[], byte[]> producer, Topics topics, int from, int to, long seq,
                                    Skip skip) throws Exception {
        for (int window = from; window < to; window++) {
            for (int p = 1; p <= PARTICIPANTS; p++) {
                for (Modality m : Modality.ALL) {
                    if (!skip.skips(p, m, window)) {
                        send(producer, topics.of(m), windowChunk("call-" + (p <= 2 ? "A" : "B"), p, m, window, seq));
                    }
                    seq++;
                }
            }
        }
        return seq;
    }

    private interface Skip {
        Skip NOTHING = (p, m, window) -> false;

        boolean skips(int participant, Modality modality, int window);
    }

    /** A sentinel 300 ms into window {@code window} on every partition: closes every earlier window. */
    private static void closeWindowsBefore(KafkaProducer<byte[], byte[]> producer, Topics topics, int window)
            throws Exception {
        for (Modality m : Modality.ALL) {
            sendToEveryPartition(producer, topics.of(m), sentinel(m, window * WINDOW + 300), PARTITIONS);
        }
    }

    /**
     * Before the fault: windows 0-4 complete and window 5 without its text, so that window 5 is open in
     * state when the fault strikes; returns once windows 0-4 are scored, with the next sequence number.
     */
    private static long streamUntilFault(KafkaProducer<byte[], byte[]> producer, Topics topics) throws Exception {
        long seq = sendWindows(producer, topics, 0, 5, 0, Skip.NOTHING);
        seq = sendWindows(producer, topics, 5, 6, seq, (p, m, window) -> m != Modality.TEXT);
        closeWindowsBefore(producer, topics, 5);
        CallStreamsOverKafka.awaitScores(kafka, topics.scores(), Duration.ofSeconds(90),
                s -> scoredWindows(s) >= 5 * PARTICIPANTS);
        return seq;
    }

    /**
     * After the fault: window 5's text, under the sequence numbers {@link #streamUntilFault} skipped for
     * it, then windows 6-9, and the sentinels that close them all.
     */
    private static void streamAfterFault(KafkaProducer<byte[], byte[]> producer, Topics topics, long seq)
            throws Exception {
        sendWindows(producer, topics, 5, 6, seq - PARTICIPANTS * 3L, (p, m, window) -> m == Modality.TEXT);
        sendWindows(producer, topics, 6, 10, seq, Skip.NOTHING);
        closeWindowsBefore(producer, topics, 10);
    }

    private static int scoredWindows(Map<String, List<SentimentScore>> scores) {
        return (int) scores.keySet().stream().filter(k -> k.startsWith("call-")).count();
    }

    /** Windows 0..windows-1 of every participant exactly once, complete, with the model's score for them. */
    private static void assertEveryWindowExactlyOnce(Map<String, List<SentimentScore>> scores, int windows) {
        Map<String, List<SentimentScore>> participantScores = new TreeMap<>(scores);
        participantScores.keySet().removeIf(k -> !k.startsWith("call-"));
        assertThat(participantScores).as("windows scored").hasSize(windows * PARTICIPANTS);
        for (int window = 0; window < windows; window++) {
            for (int p = 1; p <= PARTICIPANTS; p++) {
                String key = "call-" + (p <= 2 ? "A" : "B") + "/p" + p + "@" + window * WINDOW;
                List<SentimentScore> got = participantScores.get(key);
                assertThat(got).as("scores of %s (lost if empty, duplicated if more than one)", key).hasSize(1);
                assertThat(got.get(0).getMissingPattern()).as("modalities of %s", key).isEqualTo("l,a,v");
                assertThat(got.get(0).getScore()).as("score of %s", key)
                        .isCloseTo(expectedScore(p, window, new boolean[] {true, true, true}), within(1e-4f));
            }
        }
    }

    @Test
    void aTaskManagerKilledMidStreamLosesAndDuplicatesNoWindow(@InjectMiniCluster MiniCluster cluster) throws Exception {
        Topics topics = new Topics("ft-kill");
        topics.create();
        Path model = tmp.resolve("model-kill");
        TinyContractModel.export(model, CallFeatureStreams.STEPS, CallFeatureStreams.DIMS, "tiny-ft");
        JobClient job = start(topics.jobConfig(model), new Configuration());
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            long seq = streamUntilFault(producer, topics);

            cluster.terminateTaskManager(0).get();

            streamAfterFault(producer, topics, seq);
            Map<String, List<SentimentScore>> scores = CallStreamsOverKafka.awaitScores(kafka, topics.scores(),
                    Duration.ofSeconds(120), s -> scoredWindows(s) >= 10 * PARTICIPANTS);
            assertEveryWindowExactlyOnce(scores, 10);
        } finally {
            job.cancel().get();
            cluster.startTaskManager(); // give the next test the cluster it expects
        }
    }

    @Test
    void aBrokerRestartedMidStreamLosesAndDuplicatesNoWindow() throws Exception {
        Topics topics = new Topics("ft-broker");
        topics.create();
        Path model = tmp.resolve("model-broker");
        TinyContractModel.export(model, CallFeatureStreams.STEPS, CallFeatureStreams.DIMS, "tiny-ft");
        JobClient job = start(topics.jobConfig(model), new Configuration());
        try {
            long seq;
            try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
                seq = streamUntilFault(producer, topics);
            }

            kafka.restart(Duration.ofSeconds(3)); // sources, sinks and open transactions lose the broker

            try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
                streamAfterFault(producer, topics, seq);
            }
            Map<String, List<SentimentScore>> scores = CallStreamsOverKafka.awaitScores(kafka, topics.scores(),
                    Duration.ofSeconds(150), s -> scoredWindows(s) >= 10 * PARTICIPANTS);
            assertEveryWindowExactlyOnce(scores, 10);
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void stopWithSavepointAndRestoreLosesAndDuplicatesNoWindow() throws Exception {
        Topics topics = new Topics("ft-savepoint");
        topics.create();
        Path model = tmp.resolve("model-savepoint");
        TinyContractModel.export(model, CallFeatureStreams.STEPS, CallFeatureStreams.DIMS, "tiny-ft");
        Configuration jobConfig = topics.jobConfig(model);
        String savepoint;
        long seq;
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            JobClient first = start(jobConfig, new Configuration());
            seq = streamUntilFault(producer, topics);
            savepoint = first.stopWithSavepoint(false, tmp.resolve("savepoints").toUri().toString(),
                    SavepointFormatType.CANONICAL).get();

            // while the job is down: the rest of window 5 and windows 6-9
            streamAfterFault(producer, topics, seq);
        }
        Configuration restore = new Configuration();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        JobClient second = start(jobConfig, restore);
        try {
            Map<String, List<SentimentScore>> scores = CallStreamsOverKafka.awaitScores(kafka, topics.scores(),
                    Duration.ofSeconds(120), s -> scoredWindows(s) >= 10 * PARTICIPANTS);
            // window 5's text was read before the stop and lives only in the savepoint's window state: the
            // consumer offsets in the savepoint are past it, so a job that lost its state would score
            // window 5 as "a,v"
            assertEveryWindowExactlyOnce(scores, 10);
        } finally {
            second.cancel().get();
        }
    }
}
