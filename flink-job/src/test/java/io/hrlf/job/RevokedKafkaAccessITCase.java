package io.hrlf.job;

import static io.hrlf.job.CallStreamsOverKafka.producer;
import static io.hrlf.job.CallStreamsOverKafka.send;
import static io.hrlf.job.CallStreamsOverKafka.sendToEveryPartition;
import static io.hrlf.job.TestJob.topic;
import static io.hrlf.testkit.CallFeatureStreams.expectedScore;
import static io.hrlf.testkit.CallFeatureStreams.sentinel;
import static io.hrlf.testkit.CallFeatureStreams.windowChunk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import io.hrlf.avro.SentimentScore;
import io.hrlf.contract.Modality;
import io.hrlf.model.testing.TinyContractModel;
import io.hrlf.testkit.CallFeatureStreams;
import io.hrlf.testkit.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.CheckpointType;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's principal loses its access while the job runs (its ACLs removed and its SCRAM credential
 * deleted, as an operator revoking a user would), and gets it back. The start-up access check cannot
 * see this; what must hold is that the job fails visibly, with Kafka's authorization or authentication
 * error in its exception history, keeps retrying under its restart strategy, and once the access is
 * restored recovers from its last checkpoint with every window scored exactly once (read_committed),
 * also the windows it had scored and written after that checkpoint, before it failed.
 *
 * <p>The revocation is staged: the READ ACLs first, the rest (WRITE, the transactional id) and the
 * credential once the job has failed at its sources. Revoked at once while a transaction of the scores
 * sink holds records, the abort of that transaction when the task closes fails with
 * TransactionalIdAuthorizationException, which the task manager (Flink 2.2.1, Kafka connector) takes as
 * a fatal error: it exits ("FATAL - exception in exception handler of task"), and the job cannot
 * restart on this one-task-manager MiniCluster.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RevokedKafkaAccessITCase {
    private static final String JOB_USER = "hrlf-job";
    private static final String JOB_PASSWORD = "job-" + UUID.randomUUID();
    private static final int PARTICIPANTS = 2;
    private static final int PARTITIONS = TestJob.PARTITIONS;
    private static final long WINDOW = CallFeatureStreams.WINDOW;
    /** How long the exception history may take to show the failure after the revocation. */
    private static final Duration FAILURE_SEEN = Duration.ofSeconds(60);
    /** A periodic checkpoint interval the test never reaches: the first test triggers its checkpoints. */
    private static final Duration ONLY_TRIGGERED_CHECKPOINTS = Duration.ofDays(1);

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static EmbeddedKafka kafka;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void startSecuredKafka() throws Exception {
        TinyContractModel.export(tmp.resolve("model"), CallFeatureStreams.STEPS, CallFeatureStreams.DIMS, "tiny-revoked");
        kafka = EmbeddedKafka.startSecured();
        TestJob.createTopics(kafka);
        kafka.createUser(JOB_USER, JOB_PASSWORD);
        kafka.createAcls(SecuredJob.jobAcls(JOB_USER));
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** Revokes every ACL of the job's principal and deletes its credential; returns the ACLs to restore. */
    private static Collection<AclBinding> revokeJobUser() {
        return revokeJobUser(List.of());
    }

    /**
     * Revokes every ACL of the job's principal left after {@code alreadyRevoked} and deletes its credential;
     * returns all the ACLs to restore.
     */
    private static Collection<AclBinding> revokeJobUser(Collection<AclBinding> alreadyRevoked) {
        List<AclBinding> revoked = new ArrayList<>(alreadyRevoked);
        revoked.addAll(revokeAcls(AclOperation.ANY));
        assertThat(revoked).as("ACLs revoked").hasSameSizeAs(SecuredJob.jobAcls(JOB_USER));
        kafka.deleteUser(JOB_USER);
        return revoked;
    }

    private static Collection<AclBinding> revokeAcls(AclOperation operation) {
        return kafka.deleteAcls(new AclBindingFilter(ResourcePatternFilter.ANY,
                new AccessControlEntryFilter("User:" + JOB_USER, null, operation, AclPermissionType.ANY)));
    }

    private static void restoreJobUser(Collection<AclBinding> revoked) {
        kafka.createUser(JOB_USER, JOB_PASSWORD);
        kafka.createAcls(new ArrayList<>(revoked));
    }

    private static JobClient submit(Configuration config) throws Exception {
        return TestJob.start(config, config, "hrlf-revoked");
    }

    private static JobClient submit(Configuration config, Duration checkpointInterval) throws Exception {
        return TestJob.start(config, config, "hrlf-revoked", checkpointInterval);
    }

    /**
     * The shipped deployments' strategy (exponential delay) with short backoffs, so that the job retries
     * several times while the access is revoked and comes back within seconds of its restoration.
     */
    private static Configuration jobConfig() {
        Configuration config = SecuredJob.jobConfig(kafka, tmp.resolve("model"), JOB_USER, JOB_PASSWORD);
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, Duration.ofMillis(500));
        config.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, Duration.ofSeconds(2));
        return config;
    }

    /**
     * Checkpoints are taken when the test says (the scores a checkpoint commits are then known), except
     * at the end, where {@link #awaitScoresCheckpointing} takes them as the periodic ones would.
     */
    @Test
    @Order(1)
    void revokedAccessFailsTheJobNamingTheCauseAndRestoredAccessRecoversItWithoutLossOrDuplicates(
            @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        JobClient job = submit(jobConfig(), ONLY_TRIGGERED_CHECKPOINTS);
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            long seq = sendWindows(producer, 0, 3, 0);
            closeWindowsBefore(producer, 3);
            CallStreamsOverKafka.awaitWrittenScores(kafka, TestJob.SCORES, Duration.ofSeconds(90),
                    s -> scoredWindows(s) >= 3 * PARTICIPANTS);
            checkpoint(cluster, job);
            CallStreamsOverKafka.awaitScores(kafka, TestJob.SCORES, Duration.ofSeconds(30),
                    s -> scoredWindows(s) >= 3 * PARTICIPANTS);

            // windows 3 and 4 are scored and written after the last checkpoint: the job restarts from that
            // checkpoint and scores them again, so a sink that is not exactly-once would duplicate them
            seq = sendWindows(producer, 3, 5, seq);
            closeWindowsBefore(producer, 5);
            CallStreamsOverKafka.awaitWrittenScores(kafka, TestJob.SCORES, Duration.ofSeconds(60),
                    s -> scoredWindows(s) >= 5 * PARTICIPANTS);
            assertThat(JobExceptions.of(cluster, job.getJobID())).as("failures before the revocation").isEmpty();

            // the READ ACLs go first: the job fails at its sources and aborts the transaction holding windows 3
            // and 4 while it still may (see the class comment); once it has failed twice, that attempt is gone
            Collection<AclBinding> reads = revokeAcls(AclOperation.READ);
            assertThat(awaitFailures(cluster, job, seen -> seen.size() >= 2))
                    .as("failures after the READ ACLs were revoked (the rest is revoked only after two)")
                    .hasSizeGreaterThanOrEqualTo(2);
            Collection<AclBinding> revoked = revokeJobUser(reads);

            // the rest of the calls arrive while the job has no access: they wait in Kafka
            seq = sendWindows(producer, 5, 6, seq);
            closeWindowsBefore(producer, 6);
            // ACLs go first, then the credential: wait until a failure of each kind is in the history (the job
            // may restart more than once before the credential is gone)
            List<String> failures = awaitFailures(cluster, job, seen -> String.join("\n", seen)
                    .contains("AuthorizationException") && String.join("\n", seen).contains("AuthenticationException"));
            assertThat(failures).as("the job's failures while its access is revoked")
                    .allSatisfy(f -> assertThat(f).containsAnyOf("AuthorizationException", "AuthenticationException"));
            assertThat(String.join("\n", failures)).as("failures after the revocation")
                    .contains("AuthorizationException").contains("AuthenticationException");

            restoreJobUser(revoked);

            Map<String, List<SentimentScore>> scores = awaitScoresCheckpointing(cluster, job,
                    s -> scoredWindows(s) >= 6 * PARTICIPANTS);
            assertEveryWindowExactlyOnce(scores, 6);
            assertThat(job.getJobStatus().get()).as("job status once access is restored").isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get();
        }
    }

    /**
     * A bounded restart strategy (as every shipped deployment has) that runs out while the access is
     * revoked ends the job FAILED, with the authentication or authorization error as its cause: no
     * silent stop. Ordered last: its job re-reads the topics from the group's committed offsets.
     */
    @Test
    @Order(2)
    void aRestartBudgetThatRunsOutWhileAccessIsRevokedFailsTheJobNamingTheCause() throws Exception {
        Configuration config = SecuredJob.jobConfig(kafka, tmp.resolve("model"), JOB_USER, JOB_PASSWORD);
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        JobClient job = submit(config);
        Collection<AclBinding> revoked = revokeJobUser();
        try {
            Throwable failure = catchThrowable(() -> job.getJobExecutionResult().get(FAILURE_SEEN.toMillis(), TimeUnit.MILLISECONDS));
            assertThat(failure).as("the job's end").isInstanceOf(ExecutionException.class);
            assertThat(job.getJobStatus().get()).as("job status").isEqualTo(JobStatus.FAILED);
            assertThat(ExceptionUtils.stringifyException(failure)).as("the job's failure")
                    .containsAnyOf("SaslAuthenticationException", "AuthorizationException");
        } finally {
            restoreJobUser(revoked);
            if (!job.getJobStatus().get().isGloballyTerminalState()) {
                job.cancel().get();
            }
        }
    }

    /** Takes a checkpoint of the job and waits until it is complete (its scores are committed soon after). */
    private static void checkpoint(ClusterClient<?> cluster, JobClient job) throws Exception {
        cluster.triggerCheckpoint(job.getJobID(), CheckpointType.FULL).get(60, TimeUnit.SECONDS);
    }

    /**
     * The committed scores once {@code done} holds for them, checkpointing meanwhile as the job's periodic
     * checkpoints would (a checkpoint requested while the job restarts fails; the next one is requested).
     */
    private static Map<String, List<SentimentScore>> awaitScoresCheckpointing(ClusterClient<?> cluster, JobClient job,
            Predicate<Map<String, List<SentimentScore>>> done) throws Exception {
        ScheduledExecutorService checkpoints = Executors.newSingleThreadScheduledExecutor();
        checkpoints.scheduleWithFixedDelay(() -> {
            try {
                checkpoint(cluster, job);
            } catch (Exception e) {
                // the job is not running yet (or restarting): the next request comes after the delay
            }
        }, 0, TestJob.CHECKPOINT_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        try {
            return CallStreamsOverKafka.awaitScores(kafka, TestJob.SCORES, Duration.ofSeconds(120), done);
        } finally {
            checkpoints.shutdownNow();
        }
    }

    /** The job's exception history once {@code enough} holds for it, or as it is after {@link #FAILURE_SEEN}. */
    private static List<String> awaitFailures(ClusterClient<?> cluster, JobClient job, Predicate<List<String>> enough)
            throws Exception {
        long deadline = System.nanoTime() + FAILURE_SEEN.toNanos();
        List<String> failures = JobExceptions.of(cluster, job.getJobID());
        while (!enough.test(failures) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            failures = JobExceptions.of(cluster, job.getJobID());
        }
        assertThat(failures).as("failures in the job's exception history within %s", FAILURE_SEEN).isNotEmpty();
        return failures;
    }

    private static long scoredWindows(Map<String, List<SentimentScore>> scores) {
        return scores.keySet().stream().filter(k -> k.startsWith("call-R/")).count();
    }

    private static long sendWindows(KafkaProducer<byte[], byte[]> producer, int from, int to, long seq) throws Exception {
        for (int window = from; window < to; window++) {
            for (int p = 1; p <= PARTICIPANTS; p++) {
                for (Modality m : Modality.ALL) {
                    send(producer, topic(m), windowChunk("call-R", p, m, window, seq++));
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
        assertThat(scores.keySet().stream().filter(k -> k.startsWith("call-R/"))).as("windows scored")
                .hasSize(windows * PARTICIPANTS);
        for (int window = 0; window < windows; window++) {
            for (int p = 1; p <= PARTICIPANTS; p++) {
                String key = "call-R/p" + p + "@" + window * WINDOW;
                assertThat(scores.get(key)).as("scores of %s (lost if empty, duplicated if more than one)", key).hasSize(1);
                assertThat(scores.get(key).get(0).getScore()).as("score of %s", key)
                        .isCloseTo(expectedScore(p, window, new boolean[] {true, true, true}), within(1e-4f));
            }
        }
    }
}
