package io.hrlf.bench;

import io.hrlf.testkit.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.checkpoint.AbstractCheckpointStats;
import org.apache.flink.runtime.checkpoint.CheckpointStatsStatus;
import org.apache.flink.runtime.checkpoint.TaskStateStats;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionJobVertex;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.apache.flink.test.util.MiniClusterWithClientResource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The real parts the pipeline benchmarks run on, as the ITCases use them: one embedded KRaft broker
 * and one Flink MiniCluster (one task manager, two slots) in this JVM, plus the producer that loads
 * the input topics and the read_committed consumer that collects what a job wrote.
 */
final class BenchCluster implements AutoCloseable {
    static final int SLOTS = 2;
    /** Keeps the metrics of finished jobs, for the scorer's batch-size and queueing histograms. */
    final InMemoryReporter metrics = InMemoryReporter.createWithRetainedMetrics();
    final EmbeddedKafka kafka;
    final MiniClusterWithClientResource flink;
    private final KafkaProducer<byte[], byte[]> producer;
    private final java.util.concurrent.atomic.AtomicLong sendFailures = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicReference<Exception> firstSendFailure =
            new java.util.concurrent.atomic.AtomicReference<>();

    BenchCluster() throws Exception {
        kafka = EmbeddedKafka.start();
        Configuration config = metrics.addToConfiguration(new Configuration());
        config.setString("taskmanager.memory.managed.size", "64m");
        flink = new MiniClusterWithClientResource(new MiniClusterResourceConfiguration.Builder()
                .setConfiguration(config).setNumberTaskManagers(1).setNumberSlotsPerTaskManager(SLOTS).build());
        flink.before();
        Properties props = kafka.clientProperties();
        props.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.setProperty(ProducerConfig.LINGER_MS_CONFIG, "5");
        // Loading tens of thousands of records into the embedded broker while it shares two cores, the
        // idempotent producer's sequence numbers went out of step with the broker's and the broker refused
        // batches (OutOfOrderSequenceException; cause not found). Without idempotence, one request in
        // flight keeps each partition in order across retries, and flush() still checks that every
        // record was written; a retried duplicate would be dead-lettered by the job, not counted twice.
        props.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        props.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        props.setProperty(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        props.setProperty(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "600000");
        props.setProperty(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "300000");
        props.setProperty(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        producer = new KafkaProducer<>(props);
    }

    /** Output topics stamp records with the broker's append time: when a score reached the topic. */
    void createTopics(int partitions, boolean logAppendTime, String... topics) {
        List<NewTopic> newTopics = new ArrayList<>();
        for (String topic : topics) {
            NewTopic t = new NewTopic(topic, partitions, (short) 1);
            if (logAppendTime) {
                t.configs(Map.of("message.timestamp.type", "LogAppendTime"));
            }
            newTopics.add(t);
        }
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            admin.createTopics(newTopics).all().get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topics " + List.of(topics), e);
        }
    }

    void send(ProducerRecord<byte[], byte[]> record) {
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                sendFailures.incrementAndGet();
                firstSendFailure.compareAndSet(null, error);
            }
        });
    }

    /** Waits for every record sent so far; a record the broker refused makes the dataset unusable. */
    void flush() {
        producer.flush();
        if (sendFailures.get() > 0) {
            throw new IllegalStateException(sendFailures.get() + " benchmark input records were not written",
                    firstSendFailure.get());
        }
    }

    JobClient submit(String name, int parallelism, long checkpointMillis, Consumer<StreamExecutionEnvironment> job)
            throws Exception {
        TestStreamEnvironment env = new TestStreamEnvironment(flink.getMiniCluster(), parallelism);
        env.enableCheckpointing(checkpointMillis);
        job.accept(env);
        return env.executeAsync(name);
    }

    /**
     * Waits until every task of the job runs (operators are opened before a task reports RUNNING, so
     * the scorer's model is loaded by then) and returns that wall-clock time: where a run's clock starts.
     */
    long awaitAllRunning(JobID job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            AccessExecutionGraph graph = flink.getMiniCluster().getExecutionGraph(job).get();
            boolean all = true;
            for (var vertex : graph.getAllExecutionVertices()) {
                all &= vertex.getExecutionState() == org.apache.flink.runtime.execution.ExecutionState.RUNNING;
            }
            if (all) {
                return System.currentTimeMillis();
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("job " + job + " did not start within 120 s");
    }

    static void cancel(JobClient job) throws Exception {
        job.cancel().get();
        while (!job.getJobStatus().get().isGloballyTerminalState()) {
            Thread.sleep(50);
        }
    }

    /** A committed record as read back: the broker's append time and the value. */
    record Appended(long appendMillis, long readMillis, byte[] value) {}

    /**
     * Reads {@code topic} from the start with isolation.level=read_committed until {@code expected}
     * records arrived, or nothing new came for {@code stall}.
     */
    List<Appended> readCommitted(String topic, int partitions, long expected, Duration stall) {
        Properties props = kafka.clientProperties();
        props.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        List<Appended> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> assigned = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                assigned.add(new TopicPartition(topic, p));
            }
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            long lastProgress = System.nanoTime();
            while (out.size() < expected && System.nanoTime() - lastProgress < stall.toNanos()) {
                var records = consumer.poll(Duration.ofMillis(200));
                long now = System.currentTimeMillis();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    out.add(new Appended(r.timestamp(), now, r.value()));
                }
                if (!records.isEmpty()) {
                    lastProgress = System.nanoTime();
                }
            }
        }
        return out;
    }

    /**
     * Every value of the histograms named {@code hrlf.<name>} of a job, pooled over its subtasks. Walks
     * the metric groups rather than their joined identifiers, which collide when two chained operators
     * share a task's name.
     */
    long[] histogramValues(JobID job, String name) {
        List<Long> values = new ArrayList<>();
        for (Map.Entry<org.apache.flink.metrics.MetricGroup, Map<String, Metric>> group
                : metrics.getMetricsByGroup().entrySet()) {
            String[] scope = group.getKey().getScopeComponents();
            boolean ofJob = job.toString().equals(group.getKey().getAllVariables().get("<job_id>"));
            if (!ofJob || scope.length == 0 || !scope[scope.length - 1].equals("hrlf")) {
                continue;
            }
            if (group.getValue().get(name) instanceof Histogram h) {
                for (long v : h.getStatistics().getValues()) {
                    values.add(v);
                }
            }
        }
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * Largest completed-checkpoint state of the job vertex whose name contains {@code operator}
     * (in the checkpoint history Flink keeps, the last ten); -1 when none completed.
     */
    long maxCheckpointedState(JobID job, String operator) throws Exception {
        AccessExecutionGraph graph = flink.getMiniCluster().getExecutionGraph(job).get();
        long max = -1;
        for (AccessExecutionJobVertex vertex : graph.getVerticesTopologically()) {
            if (!vertex.getName().contains(operator)) {
                continue;
            }
            for (AbstractCheckpointStats checkpoint : graph.getCheckpointStatsSnapshot().getHistory().getCheckpoints()) {
                if (checkpoint.getStatus() == CheckpointStatsStatus.COMPLETED) {
                    TaskStateStats stats = checkpoint.getTaskStateStats(vertex.getJobVertexId());
                    if (stats != null) {
                        max = Math.max(max, stats.getStateSize());
                    }
                }
            }
        }
        return max;
    }

    @Override
    public void close() {
        producer.close();
        flink.after();
        kafka.close();
    }
}
