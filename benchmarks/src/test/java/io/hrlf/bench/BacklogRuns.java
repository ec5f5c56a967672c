package io.hrlf.bench;

import io.hrlf.job.HrlfJob;
import io.hrlf.job.JobOptions;
import io.hrlf.window.WindowOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Runs a job over a backlog of feature records already in Kafka and measures its end-to-end rate:
 * all input frames divided by the time from the moment every task of the job runs (sources start
 * reading; the model is loaded) to the broker's append time of the job's last output record. Job
 * deployment and model loading are left out, and so is the commit of the last checkpoint (append
 * time, not commit time). Windows fire in bursts as the watermark advances, so a rate taken over
 * part of the output would measure the bursts, not the job. Watermark settings are the job's defaults (1 s out-of-orderness,
 * 2 s allowed lateness) except idleness, raised to 10 min as the README says for replays.
 */
final class BacklogRuns {
    static final int PARTITIONS = 2;
    static final long CHECKPOINT_MILLIS = 1_000;
    private static final AtomicInteger RUN = new AtomicInteger();

    private final BenchCluster cluster;
    private final Path model;

    BacklogRuns(BenchCluster cluster, Path model) {
        this.cluster = cluster;
        this.model = model;
    }

    /** Input topics holding P participants x S seconds of chunks, and what they add up to. */
    record Dataset(String[] topics, int participants, int seconds, long records, long frames) {
        double framesPerRecord() {
            return (double) frames / records;
        }
    }

    Dataset produce(int participants, int seconds) {
        String prefix = "bench" + RUN.incrementAndGet() + ".features.";
        String[] topics = {prefix + "text", prefix + "audio", prefix + "vision"};
        cluster.createTopics(PARTITIONS, false, topics);
        FeatureLoad load = new FeatureLoad(topics, participants);
        // an hour ago, on a 10 s boundary so that 2.5, 5 and 10 s windows all start with the data
        long base = (System.currentTimeMillis() - 3_600_000) / 10_000 * 10_000;
        long records = 0;
        for (int s = 0; s < seconds; s++) {
            for (int p = 0; p < participants; p++) {
                for (ProducerRecord<byte[], byte[]> r : load.second(p, base + s * 1000L)) {
                    cluster.send(r);
                    records++;
                }
            }
        }
        List<ProducerRecord<byte[], byte[]>> sentinels = load.sentinels(base + seconds * 1000L + 120_000, PARTITIONS);
        sentinels.forEach(cluster::send);
        cluster.flush();
        return new Dataset(topics, participants, seconds, records + sentinels.size(),
                (long) participants * seconds * FeatureLoad.FRAMES_PER_PARTICIPANT_SECOND + sentinels.size());
    }

    /** The HRLF job on the given topics with windows of {@code window}; {@code id} names its group and transactions. */
    static Configuration jobConfig(BenchCluster cluster, Path model, String[] featureTopics, String scores, String dlq,
                                   String id, Duration window) {
        Configuration config = new Configuration();
        config.set(JobOptions.BOOTSTRAP_SERVERS, cluster.kafka.bootstrapServers());
        config.set(JobOptions.MODEL_PATH, model.toString());
        config.set(JobOptions.TOPIC_TEXT, featureTopics[0]);
        config.set(JobOptions.TOPIC_AUDIO, featureTopics[1]);
        config.set(JobOptions.TOPIC_VISION, featureTopics[2]);
        config.set(JobOptions.TOPIC_SCORES, scores);
        config.set(JobOptions.TOPIC_DEAD_LETTER, dlq);
        config.set(JobOptions.GROUP_ID, id);
        config.set(JobOptions.TRANSACTIONAL_ID_PREFIX, id);
        config.set(WindowOptions.SIZE, window);
        config.set(WindowOptions.SLIDE, window);
        return config;
    }

    /** What one run measured. Rates are per second of the steady part of the run. */
    record Result(double outputPerSecond, double framesPerSecond, double coresBusy, long received, long expected,
                  double peakHeapMb, long stateBytes) {
        double framesPerCoreSecond() {
            return framesPerSecond / coresBusy;
        }
    }

    Result hrlfJob(Dataset data, int parallelism, double windowSeconds) throws Exception {
        int run = RUN.incrementAndGet();
        String scores = "bench" + run + ".scores";
        String dlq = "bench" + run + ".dlq";
        cluster.createTopics(1, true, scores, dlq);
        Configuration config = jobConfig(cluster, model, data.topics(), scores, dlq, "bench-hrlf-" + run,
                Duration.ofMillis(Math.round(windowSeconds * 1000)));
        config.set(JobOptions.IDLENESS, Duration.ofMinutes(10));
        long windowsPerParticipant = Math.round(data.seconds() / windowSeconds);
        long expected = data.participants() * windowsPerParticipant;
        double framesPerWindow = FeatureLoad.FRAMES_PER_PARTICIPANT_SECOND * windowSeconds;
        try (ResourceSampler sampler = new ResourceSampler()) {
            JobClient job = cluster.submit("bench-hrlf-" + run, parallelism, CHECKPOINT_MILLIS,
                    env -> HrlfJob.build(env, config));
            List<BenchCluster.Appended> out;
            long state;
            long started;
            try {
                started = cluster.awaitAllRunning(job.getJobID());
                out = cluster.readCommitted(scores, 1, expected, Duration.ofSeconds(60));
                state = cluster.maxCheckpointedState(job.getJobID(), "Assemble participant windows");
            } finally {
                BenchCluster.cancel(job);
            }
            Rate rate = Rate.of(started, out, expected);
            return new Result(rate.perSecond(), rate.perSecond() * framesPerWindow,
                    sampler.coresBusy(rate.fromMillis(), rate.toMillis()), out.size(), expected,
                    sampler.peakHeap() / 1048576.0, state);
        }
    }

    Result passThrough(Dataset data, int parallelism) throws Exception {
        int run = RUN.incrementAndGet();
        String output = "bench" + run + ".passthrough";
        cluster.createTopics(1, true, output);
        try (ResourceSampler sampler = new ResourceSampler()) {
            JobClient job = cluster.submit("bench-passthrough-" + run, parallelism, CHECKPOINT_MILLIS,
                    env -> PassThroughJob.build(env, cluster.kafka.bootstrapServers(), data.topics(), output,
                            "bench-pass-" + run, "bench-pass-" + run));
            List<BenchCluster.Appended> out;
            long started;
            try {
                started = cluster.awaitAllRunning(job.getJobID());
                out = cluster.readCommitted(output, 1, data.records(), Duration.ofSeconds(60));
            } finally {
                BenchCluster.cancel(job);
            }
            Rate rate = Rate.of(started, out, data.records());
            return new Result(rate.perSecond(), rate.perSecond() * data.framesPerRecord(),
                    sampler.coresBusy(rate.fromMillis(), rate.toMillis()), out.size(), data.records(),
                    sampler.peakHeap() / 1048576.0, -1);
        }
    }

    /**
     * Output records per second from {@code startedMillis} to the last append; NaN unless every
     * expected record arrived (a partial run has no end to measure to).
     */
    record Rate(double perSecond, long fromMillis, long toMillis) {
        static Rate of(long startedMillis, List<BenchCluster.Appended> out, long expected) {
            if (out.size() < expected) {
                return new Rate(Double.NaN, startedMillis, startedMillis);
            }
            long last = out.stream().mapToLong(BenchCluster.Appended::appendMillis).max().orElse(startedMillis);
            return new Rate(out.size() * 1000.0 / Math.max(1, last - startedMillis), startedMillis, last);
        }
    }
}
