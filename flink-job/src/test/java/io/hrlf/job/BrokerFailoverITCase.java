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
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job on a three-node KRaft cluster (every topic and the transaction state log replicated 3
 * times, {@code min.insync.replicas} 2) loses the node that leads the score topic and coordinates the
 * job's transactions, mid-stream, and the node stays down. Every window of every participant must
 * still be scored exactly once (read_committed) with the score of its complete input, and nothing may
 * go to the dead-letter topic. Same stream as {@link FaultToleranceITCase}: windows 0-4 scored and
 * window 5 open in state when the node stops, then the rest.
 */
class BrokerFailoverITCase {
    private static final int PARTICIPANTS = 4;
    private static final int PARTITIONS = 2;
    private static final int NODES = 3;
    private static final long WINDOW = CallFeatureStreams.WINDOW;
    private static final String PREFIX = "failover";
    private static final String SCORES = PREFIX + ".scores";
    private static final String DEAD_LETTERS = PREFIX + ".dlq";
    private static final String TRANSACTION_STATE = "__transaction_state";

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(restartOnFailure())
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Logger LOG = LoggerFactory.getLogger(BrokerFailoverITCase.class);
    private static EmbeddedKafka kafka;

    @TempDir
    static Path tmp;

    private static Configuration restartOnFailure() {
        Configuration config = new Configuration();
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        // the failover takes a session timeout plus a leader election: seconds, a few restarts at most
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 60);
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        return config;
    }

    @BeforeAll
    static void startCluster() {
        kafka = EmbeddedKafka.startCluster(NODES);
    }

    @AfterAll
    static void stopCluster() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static String topic(Modality m) {
        return PREFIX + ".features." + m.inputName();
    }

    private static Configuration jobConfig(Path model) {
        Configuration config = new Configuration();
        config.set(JobOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        config.set(JobOptions.MODEL_PATH, model.toString());
        config.set(JobOptions.TOPIC_TEXT, topic(Modality.TEXT));
        config.set(JobOptions.TOPIC_AUDIO, topic(Modality.AUDIO));
        config.set(JobOptions.TOPIC_VISION, topic(Modality.VISION));
        config.set(JobOptions.TOPIC_SCORES, SCORES);
        config.set(JobOptions.TOPIC_DEAD_LETTER, DEAD_LETTERS);
        config.set(JobOptions.GROUP_ID, PREFIX);
        config.set(JobOptions.TRANSACTIONAL_ID_PREFIX, PREFIX);
        config.set(JobOptions.OUT_OF_ORDERNESS, Duration.ofMillis(200));
        config.set(JobOptions.IDLENESS, Duration.ofMinutes(10)); // sentinels reach every partition
        config.set(WindowOptions.SIZE, Duration.ofMillis(WINDOW));
        config.set(WindowOptions.SLIDE, Duration.ofMillis(WINDOW));
        config.set(WindowOptions.ALLOWED_LATENESS, Duration.ofMillis(1_000));
        config.set(ScoringOptions.BATCH_MAX_WAIT, Duration.ofMillis(10));
        return config;
    }

    /**
     * Makes the transaction state log exist (Kafka creates it for the first transactional producer)
     * and returns the node that leads it: with one partition, the coordinator of every transaction.
     */
    private static int transactionCoordinator(Admin admin) throws Exception {
        Properties props = kafka.clientProperties();
        props.setProperty(ProducerConfig.TRANSACTIONAL_ID_CONFIG, PREFIX + "-test-warm-up");
        try (KafkaProducer<byte[], byte[]> warmUp = producer(props)) {
            warmUp.initTransactions();
        }
        return leaderOf(admin, TRANSACTION_STATE);
    }

    private static int leaderOf(Admin admin, String topic) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        return description.partitions().get(0).leader().id();
    }

    /** The job's output topics, led by {@code leader}: its preferred replica, first in the assignment. */
    private static void createOutputTopicsLedBy(Admin admin, int leader) throws Exception {
        List<Integer> replicas = new ArrayList<>(List.of(leader));
        kafka.nodeIds().stream().filter(id -> id != leader).forEach(replicas::add);
        List<NewTopic> topics = new ArrayList<>();
        for (String name : List.of(SCORES, DEAD_LETTERS)) {
            topics.add(new NewTopic(name, Map.of(0, replicas)));
        }
        admin.createTopics(topics).all().get();
    }

    @Test
    void theNodeLeadingTheScoresAndCoordinatingTheTransactionsStopsMidStreamAndNoWindowIsLostOrDuplicated(
            @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        Path model = tmp.resolve("model");
        TinyContractModel.export(model, CallFeatureStreams.STEPS, CallFeatureStreams.DIMS, "tiny-failover");
        int victim;
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            kafka.createTopics(PARTITIONS, topic(Modality.TEXT), topic(Modality.AUDIO), topic(Modality.VISION));
            victim = transactionCoordinator(admin);
            createOutputTopicsLedBy(admin, victim);
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        env.setParallelism(2);
        env.enableCheckpointing(300);
        HrlfJob.build(env, jobConfig(model));
        JobClient job = env.executeAsync("hrlf-broker-failover");
        try {
            long seq;
            try (KafkaProducer<byte[], byte[]> producer = producer(acksAll())) {
                seq = sendWindows(producer, 0, 5, 0, Skip.NOTHING);
                seq = sendWindows(producer, 5, 6, seq, (p, m, window) -> m != Modality.TEXT);
                closeWindowsBefore(producer, 5);
                CallStreamsOverKafka.awaitScores(kafka, SCORES, Duration.ofSeconds(90),
                        s -> scoredWindows(s) >= 5 * PARTICIPANTS);
            }

            try (Admin admin = Admin.create(kafka.clientProperties())) {
                // asked now, not at creation: every node knows the topics once the job has written to them
                assertReplicatedWithMinIsr(admin, SCORES);
                assertReplicatedWithMinIsr(admin, TRANSACTION_STATE);
                // the stop must hit what the job uses: the score partition's leader and its transactions' coordinator
                assertThat(leaderOf(admin, SCORES)).as("leader of %s", SCORES).isEqualTo(victim);
                assertThat(coordinatorsOfTheJobsTransactions(admin)).as("coordinators of the job's transactions")
                        .containsExactly(victim);
            }

            kafka.stop(victim);

            try (KafkaProducer<byte[], byte[]> producer = producer(acksAll())) {
                // window 5's text under the sequence numbers skipped for it, then windows 6-9
                sendWindows(producer, 5, 6, seq - PARTICIPANTS * 3L, (p, m, window) -> m == Modality.TEXT);
                sendWindows(producer, 6, 10, seq, Skip.NOTHING);
                closeWindowsBefore(producer, 10);
            }
            Map<String, List<SentimentScore>> scores = CallStreamsOverKafka.awaitScores(kafka, SCORES,
                    Duration.ofSeconds(120), s -> scoredWindows(s) >= 10 * PARTICIPANTS);
            assertEveryWindowExactlyOnce(scores, 10);
            assertThat(committedRecords(DEAD_LETTERS)).as("records in the dead-letter topic").isZero();
            try (Admin admin = Admin.create(kafka.clientProperties())) {
                assertThat(leaderOf(admin, SCORES)).as("leader of %s after the stop", SCORES).isNotEqualTo(victim);
            }
            assertThat(job.getJobStatus().get()).as("job status after the failover").isEqualTo(JobStatus.RUNNING);
            // whether the clients rode the failover out or the job restarted: both are allowed, the count says which
            LOG.info("Job failures across the failover of node {}: {}", victim, JobExceptions.of(cluster, job.getJobID()));
        } finally {
            job.cancel().get();
        }
    }

    private static void assertReplicatedWithMinIsr(Admin admin, String topic) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        for (TopicPartitionInfo partition : description.partitions()) {
            assertThat(partition.replicas()).as("replicas of %s-%d", topic, partition.partition())
                    .hasSize(EmbeddedKafka.CLUSTER_REPLICATION);
        }
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        String minIsr = admin.describeConfigs(List.of(resource)).all().get().get(resource)
                .get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value();
        assertThat(minIsr).as("min.insync.replicas of %s", topic).isEqualTo(String.valueOf(EmbeddedKafka.CLUSTER_MIN_ISR));
    }

    /** The nodes coordinating the job's transactional ids that exist now (both sinks', every subtask's). */
    private static Set<Integer> coordinatorsOfTheJobsTransactions(Admin admin) throws Exception {
        Collection<TransactionListing> listed = admin.listTransactions().all().get();
        List<String> ids = listed.stream().map(TransactionListing::transactionalId)
                .filter(id -> id.startsWith(PREFIX + "-scores") || id.startsWith(PREFIX + "-dlq")).toList();
        assertThat(ids).as("the job's transactional ids").isNotEmpty();
        Map<String, TransactionDescription> described = admin.describeTransactions(ids).all().get();
        return described.values().stream().map(TransactionDescription::coordinatorId).collect(Collectors.toSet());
    }

    /** A producer that waits for every in-sync replica: a chunk acknowledged before the stop is not lost with the node. */
    private static Properties acksAll() {
        Properties props = kafka.clientProperties();
        props.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        return props;
    }

    /** Every committed record of {@code topic}'s partition 0, read up to its last stable offset (no waiting on time). */
    private static int committedRecords(String topic) {
        Properties props = kafka.clientProperties();
        props.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        TopicPartition partition = new TopicPartition(topic, 0);
        int count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long stable = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < stable) {
                count += consumer.poll(Duration.ofMillis(500)).count();
            }
        }
        return count;
    }

    private static long scoredWindows(Map<String, List<SentimentScore>> scores) {
        return scores.keySet().stream().filter(k -> k.startsWith("call-")).count();
    }

    private interface Skip {
        Skip NOTHING = (p, m, window) -> false;

        boolean skips(int participant, Modality modality, int window);
    }

    private static String call(int participant) {
        return "call-" + (participant <= 2 ? "A" : "B");
    }

    private static long sendWindows(KafkaProducer<byte[], byte[]> producer, int from, int to, long seq, Skip skip)
            throws Exception {
        for (int window = from; window < to; window++) {
            for (int p = 1; p <= PARTICIPANTS; p++) {
                for (Modality m : Modality.ALL) {
                    if (!skip.skips(p, m, window)) {
                        send(producer, topic(m), windowChunk(call(p), p, m, window, seq));
                    }
                    seq++;
                }
            }
        }
        return seq;
    }

    private static void closeWindowsBefore(KafkaProducer<byte[], byte[]> producer, int window) throws Exception {
        for (Modality m : Modality.ALL) {
            sendToEveryPartition(producer, topic(m), sentinel(m, window * WINDOW + 300), PARTITIONS);
        }
    }

    private static void assertEveryWindowExactlyOnce(Map<String, List<SentimentScore>> scores, int windows) {
        Map<String, List<SentimentScore>> participantScores = new TreeMap<>(scores);
        participantScores.keySet().removeIf(k -> !k.startsWith("call-"));
        assertThat(participantScores).as("windows scored").hasSize(windows * PARTICIPANTS);
        for (int window = 0; window < windows; window++) {
            for (int p = 1; p <= PARTICIPANTS; p++) {
                String key = call(p) + "/p" + p + "@" + window * WINDOW;
                List<SentimentScore> got = participantScores.get(key);
                assertThat(got).as("scores of %s (lost if empty, duplicated if more than one)", key).hasSize(1);
                assertThat(got.get(0).getMissingPattern()).as("modalities of %s", key).isEqualTo("l,a,v");
                assertThat(got.get(0).getScore()).as("score of %s", key)
                        .isCloseTo(expectedScore(p, window, new boolean[] {true, true, true}), within(1e-4f));
            }
        }
    }
}
