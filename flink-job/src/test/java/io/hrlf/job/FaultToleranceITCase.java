package io.hrlf.job;

import static io.hrlf.job.CallStreamsOverKafka.producer;

import io.hrlf.model.testing.TinyContractModel;
import io.hrlf.testkit.CallFeatureStreams;
import io.hrlf.testkit.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
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
 * restarted mid-stream, and a stop with savepoint followed by a restore. Each test streams
 * {@link FaultStreams}' windows up to the fault, injects it once windows 0-4 are committed, streams
 * the rest, and checks every window of every participant exactly once (read_committed) with the score
 * the model gives its complete input (window 5, half-filled before the fault, must be whole after it).
 */
class FaultToleranceITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(FaultStreams.restartOnFailure())
            .setNumberTaskManagers(2).setNumberSlotsPerTaskManager(2).build());

    private static EmbeddedKafka kafka;

    @TempDir
    static Path tmp;

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

    private static JobClient start(Configuration jobConfig, Configuration envConfig) throws Exception {
        return TestJob.start(envConfig, jobConfig, "hrlf-fault-tolerance");
    }

    @Test
    void aTaskManagerKilledMidStreamLosesAndDuplicatesNoWindow(@InjectMiniCluster MiniCluster cluster) throws Exception {
        FaultStreams topics = new FaultStreams(kafka, "ft-kill");
        topics.create();
        Path model = tmp.resolve("model-kill");
        TinyContractModel.export(model, CallFeatureStreams.STEPS, CallFeatureStreams.DIMS, "tiny-ft");
        JobClient job = start(topics.jobConfig(model), new Configuration());
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            long seq = topics.streamUntilFault(producer);

            cluster.terminateTaskManager(0).get();

            topics.streamAfterFault(producer, seq);
            topics.awaitEveryWindowExactlyOnce(Duration.ofSeconds(120));
        } finally {
            job.cancel().get();
            cluster.startTaskManager(); // give the next test the cluster it expects
        }
    }

    @Test
    void aBrokerRestartedMidStreamLosesAndDuplicatesNoWindow() throws Exception {
        FaultStreams topics = new FaultStreams(kafka, "ft-broker");
        topics.create();
        Path model = tmp.resolve("model-broker");
        TinyContractModel.export(model, CallFeatureStreams.STEPS, CallFeatureStreams.DIMS, "tiny-ft");
        JobClient job = start(topics.jobConfig(model), new Configuration());
        try {
            long seq;
            try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
                seq = topics.streamUntilFault(producer);
            }

            kafka.restart(Duration.ofSeconds(3)); // sources, sinks and open transactions lose the broker

            try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
                topics.streamAfterFault(producer, seq);
            }
            topics.awaitEveryWindowExactlyOnce(Duration.ofSeconds(150));
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void stopWithSavepointAndRestoreLosesAndDuplicatesNoWindow() throws Exception {
        FaultStreams topics = new FaultStreams(kafka, "ft-savepoint");
        topics.create();
        Path model = tmp.resolve("model-savepoint");
        TinyContractModel.export(model, CallFeatureStreams.STEPS, CallFeatureStreams.DIMS, "tiny-ft");
        Configuration jobConfig = topics.jobConfig(model);
        String savepoint;
        long seq;
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            JobClient first = start(jobConfig, new Configuration());
            seq = topics.streamUntilFault(producer);
            savepoint = first.stopWithSavepoint(false, tmp.resolve("savepoints").toUri().toString(),
                    SavepointFormatType.CANONICAL).get();

            // while the job is down: the rest of window 5 and windows 6-9
            topics.streamAfterFault(producer, seq);
        }
        Configuration restore = new Configuration();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        JobClient second = start(jobConfig, restore);
        try {
            // window 5's text was read before the stop and lives only in the savepoint's window state: the
            // consumer offsets in the savepoint are past it, so a job that lost its state would score
            // window 5 as "a,v"
            topics.awaitEveryWindowExactlyOnce(Duration.ofSeconds(120));
        } finally {
            second.cancel().get();
        }
    }
}
