package io.hrlf.job;

import static io.hrlf.job.CallStreamsOverKafka.producer;
import static io.hrlf.job.CallStreamsOverKafka.send;
import static io.hrlf.job.CallStreamsOverKafka.sendToEveryPartition;
import static io.hrlf.testkit.CallFeatureStreams.modelInput;
import static io.hrlf.testkit.CallFeatureStreams.sentinel;
import static io.hrlf.testkit.CallFeatureStreams.windowChunk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hrlf.avro.SentimentScore;
import io.hrlf.context.ContextOptions;
import io.hrlf.contract.Modality;
import io.hrlf.model.testing.TinyContractModel;
import io.hrlf.scoring.ScoringOptions;
import io.hrlf.testkit.CallFeatureStreams;
import io.hrlf.testkit.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job serving the test kit's tiny model with context (K = 3, d_c = 4), on a real embedded
 * Kafka broker and a Flink MiniCluster (parallelism 2, exactly-once sinks, checkpoints every 300 ms).
 * Three participants in two calls replay eight utterances each, one 5-second window per utterance;
 * p4 loses its camera and p5 its microphone and camera for the second half of the call. Every
 * window's score on the score topic must equal the offline evaluation of that participant's windows
 * in order, each with the representations its predecessors left ({@link
 * TinyContractModel#expectedScoresInOrder}), within 1e-4.
 *
 * <p>Everything is produced before the sentinel that moves the watermark, so all eight windows of
 * every participant fire together and wait in the scorer at once: only scoring in rounds, one
 * window per participant per TensorFlow call, gives the offline scores.
 */
class ContextStreamingITCase {
    private static final int STEPS = CallFeatureStreams.STEPS;
    private static final int[] DIMS = CallFeatureStreams.DIMS;
    private static final long WINDOW = CallFeatureStreams.WINDOW;
    private static final int K = 3;
    private static final int DC = 4;
    private static final int UTTERANCES = 8;
    private static final int[] PARTICIPANTS = {1, 4, 5};

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static EmbeddedKafka kafka;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
        TestJob.createTopics(kafka);
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static String callOf(int participant) {
        return participant == 5 ? "call-B" : "call-A";
    }

    /** Which modalities participant p sends in utterance u: p4 loses vision, p5 audio and vision, half-way. */
    private static boolean[] present(int participant, int utterance) {
        boolean secondHalf = utterance >= UTTERANCES / 2;
        return switch (participant) {
            case 4 -> new boolean[] {true, true, !secondHalf};
            case 5 -> new boolean[] {true, !secondHalf, !secondHalf};
            default -> new boolean[] {true, true, true};
        };
    }

    @Test
    void streamScoresEqualTheOfflineInOrderEvaluationWithAModalityLostHalfWay() throws Exception {
        Path model = tmp.resolve("context-model");
        TinyContractModel.exportWithContext(model, STEPS, DIMS, K, DC, "tiny-context-it");

        Configuration config = TestJob.config(kafka.bootstrapServers(), model);
        config.set(ScoringOptions.BATCH_SIZE, 4);
        config.set(ContextOptions.STATE_TTL, Duration.ofMinutes(5));

        JobClient job = TestJob.start(new Configuration(), config, "hrlf-context-it");
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            long seq = 0;
            for (int u = 0; u < UTTERANCES; u++) {
                for (int p : PARTICIPANTS) {
                    for (Modality m : Modality.ALL) {
                        if (present(p, u)[m.ordinal()]) {
                            send(producer, TestJob.topic(m), windowChunk(callOf(p), p, m, u, seq++));
                        }
                    }
                }
            }
            for (Modality m : Modality.ALL) {
                sendToEveryPartition(producer, TestJob.topic(m), sentinel(m, 60_000), TestJob.PARTITIONS);
            }
            producer.flush();

            Map<String, List<SentimentScore>> scores = CallStreamsOverKafka.awaitScores(kafka, TestJob.SCORES,
                    Duration.ofSeconds(90), s -> s.size() == PARTICIPANTS.length * UTTERANCES);

            assertThat(scores).hasSize(PARTICIPANTS.length * UTTERANCES);
            int changedByContext = 0;
            for (int p : PARTICIPANTS) {
                List<float[][][]> inOrder = new ArrayList<>();
                for (int u = 0; u < UTTERANCES; u++) {
                    inOrder.add(modelInput(p, u, present(p, u)));
                }
                float[] expected = TinyContractModel.expectedScoresInOrder(STEPS, DIMS, K, DC, inOrder);
                for (int u = 0; u < UTTERANCES; u++) {
                    String key = callOf(p) + "/p" + p + "@" + u * WINDOW;
                    List<SentimentScore> got = scores.get(key);
                    assertThat(got).as("scores of %s", key).hasSize(1);
                    SentimentScore score = got.get(0);
                    assertThat(score.getModelVersion()).isEqualTo("tiny-context-it");
                    assertThat(score.getScore()).as("score of %s", key).isCloseTo(expected[u], within(1e-4f));
                    for (Modality m : Modality.ALL) {
                        assertThat(score.getModalities().get(m.ordinal()).getPresent()).as("%s %s", key, m)
                                .isEqualTo(present(p, u)[m.ordinal()]);
                    }
                    float alone = TinyContractModel.expectedScore(STEPS, DIMS, inOrder.get(u)[0], inOrder.get(u)[1]);
                    if (Math.abs(alone - expected[u]) > 1e-3) {
                        changedByContext++;
                    }
                }
            }
            // the comparison can fail: context moves most scores well beyond the tolerance
            assertThat(changedByContext).as("windows whose score the context changed")
                    .isGreaterThanOrEqualTo(PARTICIPANTS.length * (UTTERANCES - 1) - 2);
            System.out.printf("ContextStreamingITCase: %d windows scored, %d changed by their context%n",
                    scores.size(), changedByContext);
        } finally {
            TestJob.cancelAndAwait(job);
        }
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.CANCELED);
    }
}
