package io.hrlf.job;

import static io.hrlf.job.CallStreamsOverKafka.producer;
import static io.hrlf.job.CallStreamsOverKafka.send;
import static io.hrlf.job.CallStreamsOverKafka.sendToEveryPartition;
import static io.hrlf.testkit.CallFeatureStreams.expectedScore;
import static io.hrlf.testkit.CallFeatureStreams.sentinel;
import static io.hrlf.testkit.CallFeatureStreams.windowChunk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hrlf.avro.DeadLetter;
import io.hrlf.avro.FeatureChunk;
import io.hrlf.avro.SentimentScore;
import io.hrlf.contract.Modality;
import io.hrlf.ingest.RejectReason;
import io.hrlf.model.testing.TinyContractModel;
import io.hrlf.scoring.ScoringOptions;
import io.hrlf.testkit.CallFeatureStreams;
import io.hrlf.testkit.CommittedConsumer;
import io.hrlf.testkit.EmbeddedKafka;
import io.hrlf.window.WindowAssembler;
import io.hrlf.wire.WireFormat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job against a real embedded Kafka broker on a Flink MiniCluster (parallelism 2,
 * exactly-once sinks), with a real (tiny) SavedModel whose scores are a known function of its input.
 *
 * <p>Four participants in two calls send six 5-second windows of frames: p1 and p4 everything, p2
 * never any vision (a dead camera), p3 its audio for the second window only after the watermark has
 * passed that window's allowed lateness. Malformed records of every kind are mixed in. Each frame
 * covers exactly one of the model's T=4 bins, so the expected model input, and therefore the score,
 * is known without the job's binning code.
 *
 * <p>Lateness is made deterministic by producing in phases: everything on time first, plus a
 * sentinel record far ahead on every partition that moves the watermark past all six windows;
 * once the sixth windows' scores are visible, p3's late audio and a probe participant, then the next
 * sentinels, which close the probe's window (its score proves the late audio was read before the
 * watermark moved on, since the audio partition is read in order).
 */
class StreamingJobITCase {
    private static final int STEPS = CallFeatureStreams.STEPS;
    private static final int[] DIMS = CallFeatureStreams.DIMS;
    private static final long WINDOW = CallFeatureStreams.WINDOW;
    private static final int WINDOWS = 6;
    private static final String TEXT = "hrlf.features.text";
    private static final String AUDIO = "hrlf.features.audio";
    private static final String VISION = "hrlf.features.vision";
    private static final String SCORES = "hrlf.sentiment.scores";
    private static final String DLQ = "hrlf.features.dlq";
    /** One partition per source subtask (parallelism 2). */
    private static final int PARTITIONS = 2;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static EmbeddedKafka kafka;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(PARTITIONS, TEXT, AUDIO, VISION);
        kafka.createTopics(1, SCORES, DLQ);
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static String topicOf(Modality m) {
        return switch (m) {
            case TEXT -> TEXT;
            case AUDIO -> AUDIO;
            case VISION -> VISION;
        };
    }

    private static String callOf(int participant) {
        return participant <= 2 ? "call-A" : "call-B";
    }

    @Test
    void scoresEveryWindowOnceWithTheRightModalitiesAndDeadLettersBadInput() throws Exception {
        Path model = tmp.resolve("model");
        TinyContractModel.export(model, STEPS, DIMS, "tiny-it");

        Configuration config = TestJob.config(kafka.bootstrapServers(), model);
        config.set(ScoringOptions.BATCH_MAX_WAIT, Duration.ofMillis(10));
        config.setString(JobOptions.KAFKA_PROPERTIES_PREFIX + "client.id", "hrlf-it");

        JobClient job = TestJob.start(new Configuration(), config, "hrlf-it");

        Map<String, byte[]> malformed = new TreeMap<>();
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            // Phase 1: everything on time, except p2's vision (never) and p3's audio of window 1 (later).
            long seq = 0;
            long retriedSeq = -1;
            for (int window = 0; window < WINDOWS; window++) {
                for (int p = 1; p <= 4; p++) {
                    for (Modality m : Modality.ALL) {
                        if ((p == 2 && m == Modality.VISION) || (p == 3 && m == Modality.AUDIO && window == 1)) {
                            continue;
                        }
                        if (window == WINDOWS - 1 && p == 1 && m == Modality.TEXT) {
                            retriedSeq = seq;
                        }
                        send(producer, topicOf(m), windowChunk(callOf(p), p, m, window, seq++));
                    }
                }
            }
            malformed.putAll(sendMalformed(producer));
            // a producer retry: p1's text chunk of the last window again (still open: the sentinel has not been
            // sent), same sequence number; its frames must not count twice
            byte[] again = WireFormat.encode(windowChunk(callOf(1), 1, Modality.TEXT, WINDOWS - 1, retriedSeq));
            producer.send(new ProducerRecord<>(TEXT, WireFormat.participantKey(callOf(1), "p1"), again)).get();
            malformed.put(RejectReason.DUPLICATE_SEQUENCE.name() + ":" + WindowAssembler.DUPLICATE_SOURCE, again);
            for (Modality m : Modality.ALL) {
                sendToEveryPartition(producer, topicOf(m), sentinel(m, 40_000), PARTITIONS);
            }
            producer.flush();

            Map<String, List<SentimentScore>> scores = awaitScores(s -> countWindow(s, WINDOWS - 1) == 4);

            // Phase 2: p3's audio of window 1, long past that window's allowed lateness, then a probe.
            send(producer, AUDIO, windowChunk("call-B", 3, Modality.AUDIO, 1, seq++));
            for (Modality m : Modality.ALL) {
                send(producer, topicOf(m), windowChunk("call-C", 9, m, 9, seq++));
            }
            for (Modality m : Modality.ALL) {
                sendToEveryPartition(producer, topicOf(m), sentinel(m, 60_000), PARTITIONS);
            }
            producer.flush();
            scores = awaitScores(s -> s.containsKey("call-C/p9@45000"));
            List<DeadLetter> deadLetters = awaitDeadLetters(malformed.size());

            // Every expected window exactly once, nothing else, with the right modalities and score.
            Map<String, String> expectedPatterns = new TreeMap<>();
            for (int window = 0; window < WINDOWS; window++) {
                for (int p = 1; p <= 4; p++) {
                    boolean[] present = {true, !(p == 3 && window == 1), p != 2};
                    String key = callOf(p) + "/p" + p + "@" + window * WINDOW;
                    expectedPatterns.put(key, p == 2 ? "l,a" : (p == 3 && window == 1) ? "l,v" : "l,a,v");
                    List<SentimentScore> got = scores.get(key);
                    assertThat(got).as("scores of %s", key).hasSize(1);
                    SentimentScore score = got.get(0);
                    assertThat(score.getRevision()).isZero();
                    assertThat(score.getScore()).as("score of %s", key)
                            .isCloseTo(expectedScore(p, window, present), within(1e-4f));
                    assertThat(score.getModelVersion()).isEqualTo("tiny-it");
                    for (Modality m : Modality.ALL) {
                        assertThat(score.getModalities().get(m.ordinal()).getPresent()).isEqualTo(present[m.ordinal()]);
                        assertThat(score.getModalities().get(m.ordinal()).getCompleteness())
                                .isEqualTo(present[m.ordinal()] ? 1f : 0f);
                    }
                }
            }
            // the probe's window, and the first sentinel's, which the second sentinel's watermark closed
            expectedPatterns.put("call-C/p9@45000", "l,a,v");
            expectedPatterns.put("sentinel/clock@40000", "l,a,v");
            Map<String, String> actualPatterns = new TreeMap<>();
            scores.forEach((key, list) -> actualPatterns.put(key, list.get(0).getMissingPattern()));
            assertThat(actualPatterns).isEqualTo(expectedPatterns);
            assertThat(scores.values()).allSatisfy(list -> assertThat(list).hasSize(1));

            // Every malformed record is in the dead-letter topic with its reason and original bytes.
            Map<String, byte[]> dead = new TreeMap<>();
            for (DeadLetter letter : deadLetters) {
                dead.put(letter.getReason() + ":" + letter.getSourceTopic(), bytes(letter.getValue()));
                assertThat(letter.getDetail()).isNotBlank();
            }
            assertThat(dead.keySet()).isEqualTo(malformed.keySet());
            malformed.forEach((key, value) -> assertThat(dead.get(key)).as(key).isEqualTo(value));

            long windowsScored = scores.size();
            System.out.printf("StreamingJobITCase: windows scored=%d, patterns=%s, rejected=%s%n", windowsScored,
                    patternCounts(actualPatterns), dead.keySet());
        } finally {
            TestJob.cancelAndAwait(job);
        }
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.CANCELED);
    }

    private static Map<String, Integer> patternCounts(Map<String, String> patterns) {
        Map<String, Integer> counts = new TreeMap<>();
        patterns.values().forEach(p -> counts.merge(p, 1, Integer::sum));
        return counts;
    }

    private static long countWindow(Map<String, List<SentimentScore>> scores, int window) {
        return scores.keySet().stream().filter(k -> k.endsWith("@" + window * WINDOW)).count();
    }

    /** One record of each kind of bad input; the key names the expected reason and topic. */
    private static Map<String, byte[]> sendMalformed(KafkaProducer<byte[], byte[]> producer) throws Exception {
        Map<String, byte[]> sent = new HashMap<>();
        byte[] garbage = "this is not avro".getBytes(StandardCharsets.UTF_8);
        sent.put("DECODE_ERROR:" + TEXT, garbage);

        byte[] unknownSchema = WireFormat.encode(windowChunk("call-A", 1, Modality.TEXT, 0, 0));
        for (int i = 2; i < 10; i++) {
            unknownSchema[i] = (byte) (unknownSchema[i] ^ 0x5A); // a fingerprint nobody knows
        }
        sent.put("UNKNOWN_SCHEMA:" + VISION, unknownSchema);

        FeatureChunk wrongDim = windowChunk("call-A", 1, Modality.AUDIO, 0, 0);
        wrongDim.setDimension(5);
        sent.put("DIMENSION_MISMATCH:" + AUDIO, WireFormat.encode(wrongDim));

        FeatureChunk nan = windowChunk("call-B", 4, Modality.VISION, 2, 0);
        List<Float> values = new ArrayList<>(nan.getValues());
        values.set(3, Float.NaN);
        nan.setValues(values);
        sent.put("NON_FINITE_VALUE:" + VISION, WireFormat.encode(nan));

        sent.put("MODALITY_MISMATCH:" + AUDIO, WireFormat.encode(windowChunk("call-A", 1, Modality.TEXT, 0, 0)));

        FeatureChunk backwards = windowChunk("call-A", 1, Modality.TEXT, 0, 0);
        backwards.setFrameEndMillis(List.of(0L, 0L, 0L, 0L));
        backwards.setFrameStartMillis(List.of(100L, 100L, 100L, 100L));
        sent.put("INVALID_FRAME_TIME:" + TEXT, WireFormat.encode(backwards));

        FeatureChunk future = windowChunk("call-A", 2, Modality.TEXT, 0, 0);
        long inAnHour = System.currentTimeMillis() + 3_600_000;
        future.setFrameStartMillis(List.of(0L, 0L, 0L, inAnHour));
        future.setFrameEndMillis(List.of(10L, 10L, 10L, inAnHour + 10));
        sent.put("FRAME_TIME_IN_FUTURE:" + TEXT, WireFormat.encode(future));

        byte[] truncated = WireFormat.encode(windowChunk("call-B", 3, Modality.AUDIO, 0, 0));
        sent.put("DECODE_ERROR:" + AUDIO, Arrays.copyOf(truncated, truncated.length / 2));

        for (Map.Entry<String, byte[]> e : sent.entrySet()) {
            String topic = e.getKey().substring(e.getKey().indexOf(':') + 1);
            producer.send(new ProducerRecord<>(topic, "bad".getBytes(StandardCharsets.UTF_8), e.getValue())).get();
        }
        return sent;
    }

    private static KafkaConsumer<byte[], byte[]> committedReader(String topic) {
        return CommittedConsumer.subscribe(kafka.clientProperties(), "it-reader-" + topic + "-" + System.nanoTime(),
                true, topic);
    }

    private static Map<String, List<SentimentScore>> awaitScores(Predicate<Map<String, List<SentimentScore>>> done)
            throws Exception {
        return CallStreamsOverKafka.awaitScores(kafka, SCORES, Duration.ofSeconds(90), done);
    }

    private static List<DeadLetter> awaitDeadLetters(int expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<DeadLetter> letters = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = committedReader(DLQ)) {
            while (System.nanoTime() < deadline && letters.size() < expected) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    letters.add(WireFormat.decodeDeadLetter(record.value()));
                }
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                letters.add(WireFormat.decodeDeadLetter(record.value()));
            }
        }
        assertThat(letters).as("dead letters").hasSize(expected);
        return letters;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
