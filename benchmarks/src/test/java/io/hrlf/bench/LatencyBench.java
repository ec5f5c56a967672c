package io.hrlf.bench;

import io.hrlf.avro.SentimentScore;
import io.hrlf.job.HrlfJob;
import io.hrlf.job.JobOptions;
import io.hrlf.window.WindowOptions;
import io.hrlf.wire.WireFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Section 3: event-to-score latency of live calls at 25 %, 50 % and 90 % of the job's maximum
 * throughput (windows/s measured by the pipeline section at parallelism 2). Participants publish each
 * second's chunks as that second ends, with event time = wall clock, as a live extractor would; a
 * read_committed consumer takes each score's latency as the moment it could read it minus the end of
 * its window in event time. That includes the watermark's out-of-orderness (1 s), batching, inference,
 * and waiting for the checkpoint that commits the score's Kafka transaction. The producer runs in the
 * same JVM as the broker and the job, so it competes with them for the two cores.
 */
final class LatencyBench {
    static final double[] LOAD_FRACTIONS = {0.25, 0.5, 0.9};
    private static final double WINDOW_SECONDS = 5;
    /** Seconds of load before measured windows start, and after they end, so the watermark passes them. */
    private static final int WARM_UP_SECONDS = 10;
    private static final int TAIL_SECONDS = 8;

    private LatencyBench() {}

    static void run(BenchConfig config, BenchCluster cluster, Path model, double maxWindowsPerSecond,
                    BenchReport report) throws Exception {
        if (!(maxWindowsPerSecond > 0)) {
            report.notMeasured("latency", "the pipeline section measured no maximum throughput to take fractions of");
            return;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("method", "live load at a fraction of the pipeline section's windows/s (parallelism 2); latency = "
                + "read_committed consumer's receive time - window end (event time = wall clock); windows of "
                + WINDOW_SECONDS + " s; watermark out-of-orderness " + JobOptions.OUT_OF_ORDERNESS.defaultValue().toMillis()
                + " ms; allowed lateness " + WindowOptions.ALLOWED_LATENESS.defaultValue().toMillis()
                + " ms (does not delay the first score); checkpoint (= transaction commit) every "
                + BacklogRuns.CHECKPOINT_MILLIS + " ms; scorer batch size " + io.hrlf.scoring.ScoringOptions.BATCH_SIZE.defaultValue()
                + ", max wait " + io.hrlf.scoring.ScoringOptions.BATCH_MAX_WAIT.defaultValue().toMillis() + " ms");
        json.put("max_windows_per_s", Stats.round(maxWindowsPerSecond));
        List<List<Object>> rows = new ArrayList<>();
        for (double fraction : LOAD_FRACTIONS) {
            int participants = Math.max(1, (int) Math.round(fraction * maxWindowsPerSecond * WINDOW_SECONDS));
            Map<String, Object> row = measure(config, cluster, model, participants);
            row.put("target_windows_per_s", Stats.round(fraction * maxWindowsPerSecond));
            json.put(String.valueOf((int) Math.round(fraction * 100)) + "pct", row);
            @SuppressWarnings("unchecked")
            Map<String, Object> ms = (Map<String, Object>) row.get("commit_latency_ms");
            @SuppressWarnings("unchecked")
            Map<String, Object> emit = (Map<String, Object>) row.get("emit_latency_ms");
            rows.add(List.of((int) Math.round(fraction * 100) + " %", participants, row.get("achieved_windows_per_s"),
                    ms.get("p50") + " / " + ms.get("p99") + " / " + ms.get("p999"),
                    emit.get("p50") + " / " + emit.get("p99"), row.get("scorer_batch_size_mean"),
                    row.get("scorer_queue_ms_p50") + " / " + row.get("scorer_queue_ms_p99"),
                    row.get("windows_measured")));
            if (fraction == 0.5) {
                report.headline("latency_p99_ms_at_50pct", ms.get("p99"));
            }
        }
        report.section("latency", json);
        report.table(BenchReport.markdown("3. Latency under load (live calls, parallelism 2)",
                "Latency from a window's end (event time = wall clock) to its score being readable read_committed: "
                        + "p50 / p99 / p999 ms. It includes " + JobOptions.OUT_OF_ORDERNESS.defaultValue().toMillis()
                        + " ms of watermark delay and up to one checkpoint interval (" + BacklogRuns.CHECKPOINT_MILLIS
                        + " ms here; 10 s by default) until the transaction commits. Emitted = the score's "
                        + "`emitTimestampMillis` - window end (no commit wait). Queue = window fired to scored "
                        + "(`hrlf.eventToScoreLatencyMs`: async queue + batching + inference).",
                List.of("load", "participants", "windows/s achieved", "committed ms p50/p99/p999", "emitted ms p50/p99",
                        "batch size (mean)", "queue ms p50/p99", "windows measured"), rows));
    }

    private static Map<String, Object> measure(BenchConfig config, BenchCluster cluster, Path model, int participants)
            throws Exception {
        // no dots in the job name: the metric reporter joins scopes with dots
        String run = "latency-" + participants + "-" + System.nanoTime();
        String prefix = run + ".";
        String[] topics = {prefix + "text", prefix + "audio", prefix + "vision"};
        String scores = prefix + "scores";
        cluster.createTopics(BacklogRuns.PARTITIONS, false, topics);
        cluster.createTopics(1, false, scores, prefix + "dlq");
        Duration window = Duration.ofMillis(Math.round(WINDOW_SECONDS * 1000));
        Configuration jobConfig = BacklogRuns.jobConfig(cluster, model, topics, scores, prefix + "dlq", run, window);

        JobClient job = cluster.submit(run, 2, BacklogRuns.CHECKPOINT_MILLIS, env -> HrlfJob.build(env, jobConfig));
        try {
            cluster.awaitAllRunning(job.getJobID());
            FeatureLoad load = new FeatureLoad(topics, participants);
            long windowMillis = window.toMillis();
            long firstSecond = (System.currentTimeMillis() / windowMillis + 1) * windowMillis; // on a window boundary
            long measureFrom = firstSecond + WARM_UP_SECONDS * 1000L;
            long measureTo = measureFrom + (long) config.latencySeconds() * 1000;
            long stopAt = measureTo + TAIL_SECONDS * 1000L;
            List<double[]> latencies = new ArrayList<>(); // {committed ms, emitted ms}
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(cluster, scores)) {
                long second = firstSecond;
                while (System.currentTimeMillis() < stopAt + 5_000) {
                    long now = System.currentTimeMillis();
                    // publish every second that has ended, as extractors would
                    while (second + 1000 <= now && second < stopAt) {
                        for (int p = 0; p < participants; p++) {
                            load.second(p, second).forEach(cluster::send);
                        }
                        second += 1000;
                    }
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                        long received = System.currentTimeMillis();
                        SentimentScore s = WireFormat.decodeScore(r.value());
                        long end = s.getWindowEndMillis().toEpochMilli();
                        if (s.getRevision() == 0 && end > measureFrom && end <= measureTo) {
                            latencies.add(new double[] {received - end, s.getEmitTimestampMillis().toEpochMilli() - end});
                        }
                    }
                }
            }
            cluster.flush(); // fails the section if the broker refused any input
            long expected = (long) participants * ((measureTo - measureFrom) / windowMillis);
            double[] committed = latencies.stream().mapToDouble(l -> l[0]).toArray();
            double[] emitted = latencies.stream().mapToDouble(l -> l[1]).toArray();
            long[] batch = cluster.histogramValues(job.getJobID(), "batchSize");
            long[] queue = cluster.histogramValues(job.getJobID(), "eventToScoreLatencyMs");
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("participants", participants);
            row.put("windows_measured", latencies.size() + " of " + expected);
            row.put("achieved_windows_per_s", Stats.round(latencies.size() * 1000.0 / (measureTo - measureFrom)));
            row.put("commit_latency_ms", percentiles(committed));
            row.put("emit_latency_ms", percentiles(emitted));
            row.put("scorer_batch_size_mean", batch.length == 0 ? null
                    : Stats.round(java.util.Arrays.stream(batch).average().orElse(0)));
            row.put("scorer_queue_ms_p50", queue.length == 0 ? null : Stats.round(Stats.percentile(queue, 50)));
            row.put("scorer_queue_ms_p99", queue.length == 0 ? null : Stats.round(Stats.percentile(queue, 99)));
            System.out.printf("latency %d participants: %s%n", participants, row);
            return row;
        } finally {
            BenchCluster.cancel(job);
        }
    }

    private static Map<String, Object> percentiles(double[] values) {
        Map<String, Object> p = new LinkedHashMap<>();
        if (values.length == 0) {
            p.put("p50", null);
            p.put("p99", null);
            p.put("p999", null);
            return p;
        }
        p.put("p50", Stats.round(Stats.percentile(values, 50)));
        p.put("p99", Stats.round(Stats.percentile(values, 99)));
        p.put("p999", Stats.round(Stats.percentile(values, 99.9)));
        return p;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(BenchCluster cluster, String topic) {
        Properties props = cluster.kafka.clientProperties();
        props.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }
}
