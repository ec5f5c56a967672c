package io.hrlf.demo;

import io.hrlf.avro.FeatureChunk;
import io.hrlf.avro.SentimentScore;
import io.hrlf.contract.Modality;
import io.hrlf.contract.ParticipantKey;
import io.hrlf.testkit.CallFeatureStreams;
import io.hrlf.testkit.CommittedConsumer;
import io.hrlf.testkit.EmbeddedKafka;
import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.wire.WireFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A dataset's videos replayed as calls on the job's input topics: each video is a call with one
 * participant, and its rows, in the dataset's order (time order), are its consecutive windows, each
 * step the mask marks observed sent as one frame spanning that step's bin. So the job assembles
 * exactly the row's values and masks, and the window a row becomes is known in advance ({@link #key}).
 *
 * <p>The job's own helpers for this ({@code io.hrlf.job.CallStreamsOverKafka}) are test code of
 * flink-job, out of reach here; this is their minimal counterpart for real-data rows.
 */
final class DatasetCalls {
    static final String PARTICIPANT = "speaker";
    /** The sentinel's call: its windows never close, so it is never scored. */
    private static final String SENTINEL_CALL = "sentinel";

    private final MultimodalDataset data;
    private final long windowMillis;
    /** Per video (in first-appearance order), its rows in the dataset's order. */
    private final List<int[]> videos;
    private final int[] positionOfRow;

    DatasetCalls(MultimodalDataset data, Duration window) {
        if (window.toMillis() % data.steps() != 0) {
            throw new IllegalArgumentException("a window of " + window + " does not split into " + data.steps()
                    + " bins");
        }
        this.data = data;
        this.windowMillis = window.toMillis();
        Map<String, List<Integer>> byVideo = new LinkedHashMap<>();
        String[] videoIds = data.videoIds();
        positionOfRow = new int[videoIds.length];
        for (int row = 0; row < videoIds.length; row++) {
            List<Integer> rows = byVideo.computeIfAbsent(videoIds[row], v -> new ArrayList<>());
            positionOfRow[row] = rows.size();
            rows.add(row);
        }
        videos = byVideo.values().stream().map(rows -> rows.stream().mapToInt(Integer::intValue).toArray()).toList();
    }

    /** The score key ({@link CallFeatureStreams#scoreKey}) of the window that row {@code row} becomes. */
    String key(int row) {
        return new ParticipantKey(data.videoIds()[row], PARTICIPANT) + "@" + positionOfRow[row] * windowMillis;
    }

    int position(int row) {
        return positionOfRow[row];
    }

    private int longestVideo() {
        return videos.stream().mapToInt(rows -> rows.length).max().orElse(0);
    }

    static KafkaProducer<byte[], byte[]> producer(EmbeddedKafka kafka) {
        Properties props = kafka.clientProperties();
        props.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        // sends are pipelined: idempotence keeps each partition in send order even when a batch is retried
        props.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaProducer<>(props);
    }

    /**
     * Sends every row's observed frames, window by window across all calls, so that each partition's
     * event times never go backwards (a frame behind its partition's watermark would be late). Returns
     * once the broker has acknowledged every record.
     */
    void send(KafkaProducer<byte[], byte[]> producer, Function<Modality, String> topic) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        long seq = 0;
        for (int position = 0; position < longestVideo(); position++) {
            for (int[] rows : videos) {
                if (position >= rows.length) {
                    continue;
                }
                for (Modality m : Modality.ALL) {
                    FeatureChunk chunk = chunk(rows[position], m, seq++);
                    if (chunk != null) {
                        sent.add(producer.send(new ProducerRecord<>(topic.apply(m), WireFormat.participantKey(
                                chunk.getCallId(), chunk.getParticipantId()), WireFormat.encode(chunk))));
                    }
                }
            }
        }
        producer.flush();
        for (Future<RecordMetadata> record : sent) {
            record.get();
        }
    }

    /** Row {@code row}'s frames of modality {@code m}, one per observed step; null when none is observed. */
    private FeatureChunk chunk(int row, Modality m, long seq) {
        int steps = data.steps();
        int d = data.dim(m);
        long bin = windowMillis / steps;
        long windowStart = positionOfRow[row] * windowMillis;
        List<Long> starts = new ArrayList<>();
        List<Long> ends = new ArrayList<>();
        List<Float> values = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            if (data.masks(m)[row * steps + t] == 0f) {
                continue;
            }
            starts.add(windowStart + t * bin);
            ends.add(windowStart + (t + 1) * bin);
            int base = (row * steps + t) * d;
            for (int j = 0; j < d; j++) {
                values.add(data.values(m)[base + j]);
            }
        }
        if (starts.isEmpty()) {
            return null;
        }
        return FeatureChunk.newBuilder().setCallId(data.videoIds()[row]).setParticipantId(PARTICIPANT)
                .setModality(io.hrlf.avro.Modality.valueOf(m.name())).setSequenceNumber(seq)
                .setProducerTimestampMillis(Instant.now()).setDimension(d)
                .setFrameStartMillis(starts).setFrameEndMillis(ends).setValues(values).build();
    }

    /**
     * A frame of a participant of its own, {@code margin} after the last window, on every partition of
     * every feature topic: each partition's watermark holds the job's back, and this one moves them all
     * past every window's end and allowed lateness (the margin must exceed both).
     */
    void sendSentinels(KafkaProducer<byte[], byte[]> producer, Function<Modality, String> topic, int partitions,
                       Duration margin) throws Exception {
        long at = longestVideo() * windowMillis + margin.toMillis();
        for (Modality m : Modality.ALL) {
            List<Float> zeros = new ArrayList<>();
            for (int j = 0; j < data.dim(m); j++) {
                zeros.add(0f);
            }
            for (int partition = 0; partition < partitions; partition++) {
                FeatureChunk chunk = FeatureChunk.newBuilder().setCallId(SENTINEL_CALL).setParticipantId("clock")
                        .setModality(io.hrlf.avro.Modality.valueOf(m.name())).setSequenceNumber(partition)
                        .setProducerTimestampMillis(Instant.now()).setDimension(data.dim(m))
                        .setFrameStartMillis(List.of(at)).setFrameEndMillis(List.of(at + 1)).setValues(zeros).build();
                producer.send(new ProducerRecord<>(topic.apply(m), partition,
                        WireFormat.participantKey(SENTINEL_CALL, "clock"), WireFormat.encode(chunk))).get();
            }
        }
    }

    /**
     * Reads the committed scores of {@code topic} until there are {@code expected} windows, then polls
     * once more so that a duplicate committed right behind them would be seen too.
     */
    static Map<String, List<SentimentScore>> awaitScores(EmbeddedKafka kafka, String topic, int expected,
                                                         Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, List<SentimentScore>> scores = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = CommittedConsumer.subscribe(kafka.clientProperties(),
                "mosi-it-" + topic + "-" + System.nanoTime(), true, topic)) {
            while (System.nanoTime() < deadline) {
                poll(consumer, Duration.ofMillis(200), scores);
                if (scores.size() >= expected) {
                    poll(consumer, Duration.ofMillis(1_500), scores);
                    return scores;
                }
            }
        }
        throw new AssertionError("only " + scores.size() + " of " + expected + " windows scored in " + timeout);
    }

    private static void poll(KafkaConsumer<byte[], byte[]> consumer, Duration timeout,
                             Map<String, List<SentimentScore>> scores) throws Exception {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
            SentimentScore score = WireFormat.decodeScore(record.value());
            scores.computeIfAbsent(CallFeatureStreams.scoreKey(score), k -> new ArrayList<>()).add(score);
        }
    }

    /** The committed records of {@code topic} that arrive within {@code patience}, as "reason: detail". */
    static List<String> deadLetters(EmbeddedKafka kafka, String topic, Duration patience) throws Exception {
        List<String> letters = new ArrayList<>();
        long deadline = System.nanoTime() + patience.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = CommittedConsumer.subscribe(kafka.clientProperties(),
                "mosi-it-" + topic + "-" + System.nanoTime(), true, topic)) {
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    var letter = WireFormat.decodeDeadLetter(record.value());
                    letters.add(letter.getReason() + ": " + letter.getDetail());
                }
            }
        }
        return letters;
    }
}
