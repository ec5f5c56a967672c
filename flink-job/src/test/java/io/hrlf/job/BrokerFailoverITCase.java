package io.hrlf.job;

import static io.hrlf.job.CallStreamsOverKafka.producer;
import static org.assertj.core.api.Assertions.assertThat;

import io.hrlf.model.testing.TinyContractModel;
import io.hrlf.testkit.CallFeatureStreams;
import io.hrlf.testkit.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
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
 * go to the dead-letter topic. The stream is {@link FaultStreams}': windows 0-4 scored and window 5
 * open in state when the node stops, then the rest.
 */
class BrokerFailoverITCase {
    private static final int NODES = 3;
    private static final String PREFIX = "failover";
    private static final String TRANSACTION_STATE = "__transaction_state";

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(FaultStreams.restartOnFailure())
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Logger LOG = LoggerFactory.getLogger(BrokerFailoverITCase.class);
    private static EmbeddedKafka kafka;
    private static FaultStreams streams;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void startCluster() {
        kafka = EmbeddedKafka.startCluster(NODES);
        streams = new FaultStreams(kafka, PREFIX);
    }

    @AfterAll
    static void stopCluster() {
        if (kafka != null) {
            kafka.close();
        }
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
        for (String name : List.of(streams.scores(), streams.deadLetters())) {
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
            streams.createInputs();
            victim = transactionCoordinator(admin);
            createOutputTopicsLedBy(admin, victim);
        }

        JobClient job = TestJob.start(new Configuration(), streams.jobConfig(model), "hrlf-broker-failover");
        try {
            long seq;
            try (KafkaProducer<byte[], byte[]> producer = producer(acksAll())) {
                seq = streams.streamUntilFault(producer);
            }

            try (Admin admin = Admin.create(kafka.clientProperties())) {
                // asked now, not at creation: every node knows the topics once the job has written to them
                assertReplicatedWithMinIsr(admin, streams.scores());
                assertReplicatedWithMinIsr(admin, TRANSACTION_STATE);
                // the stop must hit what the job uses: the score partition's leader and its transactions' coordinator
                assertThat(leaderOf(admin, streams.scores())).as("leader of %s", streams.scores()).isEqualTo(victim);
                assertThat(coordinatorsOfTheJobsTransactions(admin)).as("coordinators of the job's transactions")
                        .containsExactly(victim);
            }

            kafka.stop(victim);

            try (KafkaProducer<byte[], byte[]> producer = producer(acksAll())) {
                streams.streamAfterFault(producer, seq);
            }
            streams.awaitEveryWindowExactlyOnce(Duration.ofSeconds(120));
            assertThat(committedRecords(streams.deadLetters())).as("records in the dead-letter topic").isZero();
            try (Admin admin = Admin.create(kafka.clientProperties())) {
                assertThat(leaderOf(admin, streams.scores())).as("leader of %s after the stop", streams.scores()).isNotEqualTo(victim);
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
}
