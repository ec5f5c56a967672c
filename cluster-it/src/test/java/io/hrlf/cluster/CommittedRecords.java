package io.hrlf.cluster;

import io.hrlf.avro.SentimentScore;
import io.hrlf.testkit.CallFeatureStreams;
import io.hrlf.testkit.CommittedConsumer;
import io.hrlf.testkit.EmbeddedKafka;
import io.hrlf.wire.WireFormat;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Everything committed to one of the job's output topics so far, read from the beginning
 * read_committed ({@link CommittedConsumer}), as a consumer of the job must: a score the job wrote in a
 * transaction that a crash aborted is never counted. Scores are kept by window
 * ({@link CallFeatureStreams#scoreKey}), every copy of each, so a duplicate shows as a second entry.
 */
final class CommittedRecords implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, List<SentimentScore>> scores = new TreeMap<>();
    private int records;

    CommittedRecords(EmbeddedKafka kafka, String topic) {
        consumer = CommittedConsumer.subscribe(kafka.clientProperties(), "crash-it-" + topic + "-" + System.nanoTime(),
                true, topic);
    }

    /** Polls once for {@code timeout}; returns the number of records read so far. */
    int poll(Duration timeout) {
        for (ConsumerRecord<byte[], byte[]> ignored : consumer.poll(timeout)) {
            records++;
        }
        return records;
    }

    /** Polls once for {@code timeout}, decoding every record as a score. */
    Map<String, List<SentimentScore>> pollScores(Duration timeout) throws IOException {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
            records++;
            SentimentScore score = WireFormat.decodeScore(record.value());
            scores.computeIfAbsent(CallFeatureStreams.scoreKey(score), k -> new ArrayList<>()).add(score);
        }
        return scores;
    }

    /** Records read so far (scores of the sentinel too). */
    int records() {
        return records;
    }

    /** Windows of the calls' participants (not the sentinel's) with at least one committed score. */
    int participantWindows() {
        return (int) scores.keySet().stream().filter(KnownCalls::isParticipantScore).count();
    }

    /**
     * Polls until {@code windows} participant windows are scored, then for {@code settle} more, so that a
     * duplicate committed right behind them is seen too; returns every score read.
     */
    Map<String, List<SentimentScore>> awaitParticipantWindows(int windows, Duration timeout, Duration settle)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (participantWindows() < windows && System.nanoTime() < deadline) {
            pollScores(Duration.ofMillis(250));
        }
        long settled = System.nanoTime() + settle.toNanos();
        while (System.nanoTime() < settled) {
            pollScores(Duration.ofMillis(250));
        }
        return scores;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
