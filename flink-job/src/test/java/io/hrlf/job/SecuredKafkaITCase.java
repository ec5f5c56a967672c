package io.hrlf.job;

import static io.hrlf.job.CallStreamsOverKafka.awaitScores;
import static io.hrlf.job.CallStreamsOverKafka.producer;
import static io.hrlf.job.CallStreamsOverKafka.send;
import static io.hrlf.job.CallStreamsOverKafka.sendToEveryPartition;
import static io.hrlf.testkit.CallFeatureStreams.expectedScore;
import static io.hrlf.testkit.CallFeatureStreams.sentinel;
import static io.hrlf.testkit.CallFeatureStreams.windowChunk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.hrlf.avro.FeatureChunk;
import io.hrlf.avro.SentimentScore;
import io.hrlf.contract.Modality;
import io.hrlf.model.testing.TinyContractModel;
import io.hrlf.testkit.CallFeatureStreams;
import io.hrlf.testkit.EmbeddedKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job against a broker that demands what a production cluster should: SASL_SSL with
 * SCRAM-SHA-512 (a CA made for this run) and ACLs. The job's principal may read exactly the three
 * feature topics and its consumer group, write exactly the score and dead-letter topics and its
 * transactional ids. Its credentials reach the job only through {@code hrlf.kafka.properties.*}.
 * The restart strategy is Flink's default for a checkpointed job (exponential delay, no limit), as in
 * a deployment that sets none: a failure that the job retried would show here as a job that never fails.
 */
class SecuredKafkaITCase {
    private static final String JOB_USER = "hrlf-job";
    private static final String NO_ACL_USER = "hrlf-stranger";
    private static final String JOB_PASSWORD = "job-" + UUID.randomUUID();
    private static final String NO_ACL_PASSWORD = "stranger-" + UUID.randomUUID();
    /** Every ACL of the job's principal except those on its transactional ids. */
    private static final String NO_TXN_USER = "hrlf-no-transactions";
    private static final String NO_TXN_PASSWORD = "no-txn-" + UUID.randomUUID();
    private static final int PARTICIPANTS = 2;
    private static final int PARTITIONS = TestJob.PARTITIONS;
    private static final int WINDOWS = 4;
    private static final long WINDOW = CallFeatureStreams.WINDOW;
    /** How long a job may take to fail on bad credentials; a retried failure never ends. */
    private static final Duration FAIL_FAST = Duration.ofSeconds(60);
    private static final String SCORES = JobOptions.TOPIC_SCORES.defaultValue();
    /** Where application mode keeps the job's arguments (ApplicationConfiguration.APPLICATION_ARGS). */
    private static final String APPLICATION_ARGS = "$internal.application.program-args";

    /** The JAAS setting with the job's password, as an operator might write it literally. */
    private static final String JOB_JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + JOB_USER + "\" password=\"" + JOB_PASSWORD + "\";";

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(clusterWithCredentials())
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static EmbeddedKafka kafka;

    /**
     * The cluster configuration holding the credentials as deployments put them there: the setting
     * itself in the Flink configuration (Flink masks it), and the job's arguments as application mode
     * stores them ({@code $internal.application.program-args}, shown unmasked: with the literal JAAS
     * setting this test failed, so {@code HrlfJob.main} accepts a secret argument only as a config
     * provider reference, see {@code SecretArgumentsTest}). The dashboard must show the password nowhere.
     */
    private static Configuration clusterWithCredentials() {
        Configuration cluster = new Configuration();
        cluster.setString(JobOptions.KAFKA_PROPERTIES_PREFIX + "sasl.jaas.config", JOB_JAAS);
        cluster.setString(APPLICATION_ARGS, "--" + JobOptions.KAFKA_PROPERTIES_PREFIX + "sasl.jaas.config;${env:HRLF_KAFKA_JAAS}");
        return cluster;
    }

    @TempDir
    static Path tmp;

    @BeforeAll
    static void startSecuredKafka() throws Exception {
        TinyContractModel.export(tmp.resolve("model"), CallFeatureStreams.STEPS, CallFeatureStreams.DIMS, "tiny-secured");
        kafka = EmbeddedKafka.startSecured();
        TestJob.createTopics(kafka);
        kafka.createUser(JOB_USER, JOB_PASSWORD);
        kafka.createUser(NO_ACL_USER, NO_ACL_PASSWORD);
        kafka.createUser(NO_TXN_USER, NO_TXN_PASSWORD);
        kafka.createAcls(SecuredJob.jobAcls(JOB_USER));
        kafka.createAcls(SecuredJob.jobAcls(NO_TXN_USER).stream()
                .filter(acl -> acl.pattern().resourceType() != ResourceType.TRANSACTIONAL_ID).toList());
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static String topic(Modality m) {
        return TestJob.topic(m);
    }

    private static Configuration jobConfig(String user, String password) {
        return SecuredJob.jobConfig(kafka, tmp.resolve("model"), user, password);
    }

    /** As {@link HrlfJob#main} runs it: the job's whole configuration is the environment's. */
    private static JobClient submit(Configuration config) throws Exception {
        return TestJob.start(config, config, "hrlf-secured");
    }

    @Test
    void theJobRunsExactlyOnceWithItsCredentialsAndThePasswordIsShownNowhere(
            @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        try (CapturedLogs logs = new CapturedLogs()) {
            JobClient job = submit(jobConfig(JOB_USER, JOB_PASSWORD));
            try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
                long seq = 0;
                for (int window = 0; window < WINDOWS; window++) {
                    for (int p = 1; p <= PARTICIPANTS; p++) {
                        for (Modality m : Modality.ALL) {
                            send(producer, topic(m), windowChunk("call-S", p, m, window, seq++));
                        }
                    }
                }
                for (Modality m : Modality.ALL) {
                    sendToEveryPartition(producer, topic(m), sentinel(m, WINDOWS * WINDOW + 300), PARTITIONS);
                }
            }
            Map<String, List<SentimentScore>> scores = awaitScores(kafka, SCORES, Duration.ofMinutes(2),
                    s -> s.keySet().stream().filter(key -> key.startsWith("call-S/")).count() >= PARTICIPANTS * WINDOWS);
            for (int window = 0; window < WINDOWS; window++) {
                for (int p = 1; p <= PARTICIPANTS; p++) {
                    String key = "call-S/p" + p + "@" + window * WINDOW;
                    assertThat(scores.get(key)).as("scores of %s (lost if empty, duplicated if more)", key).hasSize(1);
                    assertThat(scores.get(key).get(0).getScore()).as("score of %s", key)
                            .isCloseTo(expectedScore(p, window, new boolean[] {true, true, true}), within(1e-4f));
                }
            }

            String rest = cluster.getWebInterfaceURL();
            String id = job.getJobID().toString();
            for (String path : List.of("/jobmanager/config", "/jobs/" + id + "/config", "/jobs/" + id + "/jobmanager/config")) {
                String body = get(rest + path);
                assertThat(body).as("GET %s", path).doesNotContain(JOB_PASSWORD);
            }
            assertThat(get(rest + "/jobmanager/config")).as("the dashboard's configuration view lists the setting")
                    .contains(JobOptions.KAFKA_PROPERTIES_PREFIX + "sasl.jaas.config");
            job.cancel().get();
            // the clients' configuration dumps were captured (with the JAAS setting masked by Kafka)
            assertThat(logs.text()).as("captured logs").contains("sasl.jaas.config = [hidden]")
                    .doesNotContain(JOB_PASSWORD);
        }
    }

    @Test
    void aWrongPasswordFailsTheJobFastNamingAuthentication() throws Exception {
        Throwable failure = failureOf(jobConfig(JOB_USER, "wrong-" + UUID.randomUUID()));
        assertThat(ExceptionUtils.stringifyException(failure)).containsIgnoringCase("authentication failed");
    }

    @Test
    void aPrincipalWithoutTheAclsFailsTheJobFastNamingAuthorization() throws Exception {
        Throwable failure = failureOf(jobConfig(NO_ACL_USER, NO_ACL_PASSWORD));
        assertThat(ExceptionUtils.stringifyException(failure)).containsIgnoringCase("not authorized");
    }

    /**
     * The exactly-once sinks need WRITE on their transactional ids, which Kafka checks only when a
     * producer uses one. Without the probe in {@code KafkaAccessCheck} this job was accepted, and the
     * test failed with "the job did not fail within PT1M (status RUNNING)".
     */
    @Test
    void aPrincipalWithoutTheTransactionalIdAclIsRefusedAtStartNamingTheAcl() throws Exception {
        Throwable failure = failureOf(jobConfig(NO_TXN_USER, NO_TXN_PASSWORD));
        String scoresPrefix = JobOptions.TRANSACTIONAL_ID_PREFIX.defaultValue() + "-" + HrlfJob.SCORE_SINK;
        assertThat(failure).isInstanceOf(KafkaAccessCheck.KafkaAccessException.class);
        assertThat(failure.getMessage()).contains("not authorized to WRITE transactional id")
                .contains("TRANSACTIONAL_ID '" + scoresPrefix + "'").contains("PREFIXED");
    }

    @Test
    void theJobsPrincipalMayNotWriteAFeatureTopic() {
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka.clientProperties(JOB_USER, JOB_PASSWORD))) {
            FeatureChunk forged = windowChunk("call-F", 1, Modality.AUDIO, 0, 0);
            assertThatThrownBy(() -> send(producer, topic(Modality.AUDIO), forged))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    /** The job's failure, from building it or from running it; a job still retrying after {@link #FAIL_FAST} fails the test. */
    private static Throwable failureOf(Configuration config) throws Exception {
        JobClient job;
        try {
            job = submit(config);
        } catch (RuntimeException refusedAtSubmission) {
            return refusedAtSubmission;
        }
        try {
            job.getJobExecutionResult().get(FAIL_FAST.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("the job finished instead of failing");
        } catch (ExecutionException failed) {
            return failed.getCause();
        } catch (TimeoutException stillRetrying) {
            String status = job.getJobStatus().get().toString();
            job.cancel().get();
            throw new AssertionError("the job did not fail within " + FAIL_FAST + " (status " + status
                    + "): its restart strategy retries the failure");
        }
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
        return response.body();
    }
}
