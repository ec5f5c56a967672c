package io.hrlf.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hrlf.avro.FeatureChunk;
import io.hrlf.avro.SentimentScore;
import io.hrlf.contract.Modality;
import io.hrlf.contract.ParticipantKey;
import io.hrlf.job.HrlfJob;
import io.hrlf.testkit.CallFeatureStreams;
import io.hrlf.testkit.EmbeddedKafka;
import io.hrlf.wire.WireFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A finite, known input for the crash tests: the test kit's call streams
 * ({@link CallFeatureStreams}) of {@code participants} participants (two per call) over windows
 * {@code 0..windows-1}, all three modalities, so every window's score is known in advance. A thread
 * produces them one window at a time, {@code pace} apart, each window followed by a sentinel on every
 * partition that closes it: data keeps flowing while the test kills processes.
 *
 * <p>{@link #holdBefore} makes the feed wait at a window until {@link #release} (with a timeout), so that
 * on a slow machine the kill still lands before the input has run out.
 */
final class KnownCalls implements AutoCloseable {
    static final long WINDOW = CallFeatureStreams.WINDOW;
    /** Sentinel time past a window's end: more than the job's out-of-orderness, so the window closes. */
    private static final long SENTINEL_PAST_END = 300;

    private final int participants;
    private final int windows;
    private final Duration pace;
    private final int partitions;
    private final Map<Modality, String> topics = new TreeMap<>();
    private final KafkaProducer<byte[], byte[]> producer;
    private final CountDownLatch released = new CountDownLatch(1);
    private final Thread thread;
    private volatile int holdAt = Integer.MAX_VALUE;
    private volatile int windowsSent;
    private volatile Throwable failure;

    KnownCalls(EmbeddedKafka kafka, Configuration jobConfig, int partitions, int participants, int windows,
               Duration pace) {
        this.participants = participants;
        this.windows = windows;
        this.pace = pace;
        this.partitions = partitions;
        for (Modality m : Modality.ALL) {
            topics.put(m, HrlfJob.topic(jobConfig, m));
        }
        var props = kafka.clientProperties();
        props.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        // idempotent (Kafka's default): a retried send is never a second record
        producer = new KafkaProducer<>(props);
        thread = new Thread(this::feed, "known-calls-feed");
        thread.setDaemon(true);
    }

    /** The feed stops before window {@code window} until {@link #release}; call before {@link #start}. */
    KnownCalls holdBefore(int window) {
        holdAt = window;
        return this;
    }

    KnownCalls start() {
        thread.start();
        return this;
    }

    void release() {
        released.countDown();
    }

    /** Windows produced (and closed by their sentinel) so far. */
    int windowsSent() {
        return windowsSent;
    }

    int windows() {
        return windows;
    }

    int expectedScores() {
        return participants * windows;
    }

    /** Until every window is produced; rethrows what stopped the feed. */
    void awaitFed(Duration timeout) throws Exception {
        thread.join(timeout.toMillis());
        if (failure != null) {
            throw new AssertionError("the feed failed", failure);
        }
        assertThat(windowsSent).as("windows produced within %s", timeout).isEqualTo(windows);
    }

    private void feed() {
        try {
            for (int window = 0; window < windows; window++) {
                if (window == holdAt && !released.await(5, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("never released at window " + window);
                }
                for (int p = 1; p <= participants; p++) {
                    for (Modality m : Modality.ALL) {
                        // one chunk per window and stream: the window index is the stream's sequence number
                        FeatureChunk chunk = CallFeatureStreams.windowChunk(call(p), p, m, window, window);
                        producer.send(new ProducerRecord<>(topics.get(m),
                                WireFormat.participantKey(chunk.getCallId(), chunk.getParticipantId()),
                                WireFormat.encode(chunk)));
                    }
                }
                closeWindowsBefore(window + 1);
                producer.flush();
                windowsSent = window + 1;
                Thread.sleep(pace.toMillis());
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            failure = e;
        }
    }

    /** A sentinel just past the start of {@code window} on every partition: each one's watermark counts. */
    private void closeWindowsBefore(int window) throws Exception {
        long at = window * WINDOW + SENTINEL_PAST_END;
        for (Modality m : Modality.ALL) {
            for (int partition = 0; partition < partitions; partition++) {
                FeatureChunk sentinel = FeatureChunk.newBuilder(CallFeatureStreams.sentinel(m, at))
                        .setSequenceNumber(at + partition).build();
                producer.send(new ProducerRecord<>(topics.get(m), partition,
                        WireFormat.participantKey(sentinel.getCallId(), sentinel.getParticipantId()),
                        WireFormat.encode(sentinel)));
            }
        }
    }

    private static String call(int participant) {
        return "call-" + (participant + 1) / 2;
    }

    static boolean isParticipantScore(String key) {
        return key.startsWith("call-");
    }

    /**
     * Every window of every participant exactly once, complete (all three modalities) and with the score
     * the tiny model gives its input; nothing else.
     */
    void assertEveryWindowExactlyOnce(Map<String, List<SentimentScore>> scores) {
        Map<String, List<SentimentScore>> participantScores = new TreeMap<>(scores);
        participantScores.keySet().removeIf(k -> !isParticipantScore(k));
        List<String> expected = new ArrayList<>();
        for (int window = 0; window < windows; window++) {
            for (int p = 1; p <= participants; p++) {
                String key = new ParticipantKey(call(p), "p" + p) + "@" + window * WINDOW;
                expected.add(key);
                List<SentimentScore> got = participantScores.getOrDefault(key, List.of());
                assertThat(got).as("scores of %s (lost if empty, duplicated if more than one)", key).hasSize(1);
                assertThat(got.get(0).getMissingPattern()).as("modalities of %s", key).isEqualTo("l,a,v");
                assertThat(got.get(0).getScore()).as("score of %s", key)
                        .isCloseTo(CallFeatureStreams.expectedScore(p, window, new boolean[] {true, true, true}),
                                within(1e-4f));
            }
        }
        assertThat(participantScores.keySet()).as("windows scored").containsExactlyInAnyOrderElementsOf(expected);
    }

    @Override
    public void close() throws InterruptedException {
        release();
        thread.interrupt();
        thread.join(10_000);
        producer.close(Duration.ofSeconds(10));
    }
}
