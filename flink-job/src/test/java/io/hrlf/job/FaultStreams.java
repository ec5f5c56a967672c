package io.hrlf.job;

import static io.hrlf.job.CallStreamsOverKafka.send;
import static io.hrlf.job.CallStreamsOverKafka.sendToEveryPartition;
import static io.hrlf.testkit.CallFeatureStreams.expectedScore;
import static io.hrlf.testkit.CallFeatureStreams.sentinel;
import static io.hrlf.testkit.CallFeatureStreams.windowChunk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hrlf.avro.SentimentScore;
import io.hrlf.contract.Modality;
import io.hrlf.scoring.ScoringOptions;
import io.hrlf.testkit.CallFeatureStreams;
import io.hrlf.testkit.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The fault tests' stream and its check, on topics and transactional ids of their own ({@code prefix}):
 * windows 0-4 of four participants (calls A and B) complete, window 5 without its text, so that
 * window 5 is open in state when the fault strikes; after it, window 5's text and windows 6-9. Every
 * window must then be on the score topic exactly once (read_committed) with the score the model gives
 * its complete input, so a window that lost frames across the fault fails the check.
 */
record FaultStreams(EmbeddedKafka kafka, String prefix) {
    static final int PARTICIPANTS = 4;
    static final int PARTITIONS = 2;
    static final int WINDOWS = 10;
    private static final int WINDOWS_BEFORE_FAULT = 5;
    private static final long WINDOW = CallFeatureStreams.WINDOW;

    String of(Modality m) {
        return prefix + ".features." + m.inputName();
    }

    String scores() {
        return prefix + ".scores";
    }

    String deadLetters() {
        return prefix + ".dlq";
    }

    /** The three input topics with {@value #PARTITIONS} partitions each. */
    void createInputs() {
        kafka.createTopics(PARTITIONS, of(Modality.TEXT), of(Modality.AUDIO), of(Modality.VISION));
    }

    /** The inputs and the two output topics (one partition each). */
    void create() {
        createInputs();
        kafka.createTopics(1, scores(), deadLetters());
    }

    /**
     * The fault tests' restart strategy: enough attempts to ride out a broker that is down for a few
     * seconds, or a node's failover (a session timeout plus a leader election).
     */
    static Configuration restartOnFailure() {
        Configuration config = new Configuration();
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 60);
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        return config;
    }

    Configuration jobConfig(Path model) {
        Configuration config = TestJob.config(kafka.bootstrapServers(), model);
        config.set(JobOptions.TOPIC_TEXT, of(Modality.TEXT));
        config.set(JobOptions.TOPIC_AUDIO, of(Modality.AUDIO));
        config.set(JobOptions.TOPIC_VISION, of(Modality.VISION));
        config.set(JobOptions.TOPIC_SCORES, scores());
        config.set(JobOptions.TOPIC_DEAD_LETTER, deadLetters());
        config.set(JobOptions.GROUP_ID, prefix);
        config.set(JobOptions.TRANSACTIONAL_ID_PREFIX, prefix);
        config.set(ScoringOptions.BATCH_MAX_WAIT, Duration.ofMillis(10));
        return config;
    }

    /**
     * Before the fault: windows 0-4 complete and window 5 without its text; returns once windows 0-4
     * are scored, with the next sequence number.
     */
    long streamUntilFault(KafkaProducer<byte[], byte[]> producer) throws Exception {
        long seq = sendWindows(producer, 0, WINDOWS_BEFORE_FAULT, 0, Skip.NOTHING);
        seq = sendWindows(producer, WINDOWS_BEFORE_FAULT, WINDOWS_BEFORE_FAULT + 1, seq,
                (p, m, window) -> m != Modality.TEXT);
        closeWindowsBefore(producer, WINDOWS_BEFORE_FAULT);
        CallStreamsOverKafka.awaitScores(kafka, scores(), Duration.ofSeconds(90),
                s -> scoredWindows(s) >= WINDOWS_BEFORE_FAULT * PARTICIPANTS);
        return seq;
    }

    /**
     * After the fault: window 5's text, under the sequence numbers {@link #streamUntilFault} skipped for
     * it, then windows 6-9, and the sentinels that close them all.
     */
    void streamAfterFault(KafkaProducer<byte[], byte[]> producer, long seq) throws Exception {
        sendWindows(producer, WINDOWS_BEFORE_FAULT, WINDOWS_BEFORE_FAULT + 1, seq - PARTICIPANTS * 3L,
                (p, m, window) -> m == Modality.TEXT);
        sendWindows(producer, WINDOWS_BEFORE_FAULT + 1, WINDOWS, seq, Skip.NOTHING);
        closeWindowsBefore(producer, WINDOWS);
    }

    /** Waits until every window is scored, then checks each is there exactly once with its complete-input score. */
    void awaitEveryWindowExactlyOnce(Duration timeout) throws Exception {
        Map<String, List<SentimentScore>> scores = CallStreamsOverKafka.awaitScores(kafka, scores(), timeout,
                s -> scoredWindows(s) >= WINDOWS * PARTICIPANTS);
        Map<String, List<SentimentScore>> participantScores = new TreeMap<>(scores);
        participantScores.keySet().removeIf(k -> !k.startsWith("call-"));
        assertThat(participantScores).as("windows scored").hasSize(WINDOWS * PARTICIPANTS);
        for (int window = 0; window < WINDOWS; window++) {
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

    private static String call(int participant) {
        return "call-" + (participant <= 2 ? "A" : "B");
    }

    private static long scoredWindows(Map<String, List<SentimentScore>> scores) {
        return scores.keySet().stream().filter(k -> k.startsWith("call-")).count();
    }

    /** Windows [from, to) of every participant, all three modalities, except what {@code skip} says. */
    private long sendWindows(KafkaProducer<byte[], byte[]> producer, int from, int to, long seq, Skip skip)
            throws Exception {
        for (int window = from; window < to; window++) {
            for (int p = 1; p <= PARTICIPANTS; p++) {
                for (Modality m : Modality.ALL) {
                    if (!skip.skips(p, m, window)) {
                        send(producer, of(m), windowChunk(call(p), p, m, window, seq));
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
    private void closeWindowsBefore(KafkaProducer<byte[], byte[]> producer, int window) throws Exception {
        for (Modality m : Modality.ALL) {
            sendToEveryPartition(producer, of(m), sentinel(m, window * WINDOW + 300), PARTITIONS);
        }
    }
}
