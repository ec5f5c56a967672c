package io.hrlf.scoring;

import io.hrlf.contract.MissingPattern;
import io.hrlf.ingest.RejectReason;
import io.hrlf.metrics.HrlfMetrics;
import io.hrlf.window.AssembledWindow;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;

/**
 * The bookkeeping both scorers share, so that the scorer with context and the one without report the
 * same metrics with the same meaning: per TensorFlow call (retries, batch size, inference latency), per
 * scored window (count, count by missing pattern, both latencies) and per window that failed (counted
 * and turned into a dead letter). Registered in the scorer's {@code open()}; the scorer-specific
 * metrics (the async scorer's timeouts, the context scorer's expiries) stay with their scorer.
 *
 * <p>Not thread-safe, like Flink's counters: the async scorer updates it from its one batcher thread,
 * the context scorer from the task thread.
 */
final class ScoredWindowMetrics {
    private final MetricGroup operatorGroup;
    private final String modelDirectory;
    /** The scorer's logger: failures are logged under the scorer that refused the window. */
    private final Logger log;
    private final Counter windowsScored;
    private final Counter windowsFailed;
    private final Counter inferenceRetries;
    /** Registered on a pattern's first window, so that only patterns that occur show up in reporters. */
    private final Map<MissingPattern, Counter> windowsByPattern = new HashMap<>();
    private final Histogram batchSizes;
    private final Histogram inferenceLatency;
    private final Histogram eventToScoreLatency;
    private final Histogram windowEndToScoreLatency;

    ScoredWindowMetrics(MetricGroup operatorGroup, String modelDirectory, Logger log) {
        this.operatorGroup = operatorGroup;
        this.modelDirectory = modelDirectory;
        this.log = log;
        windowsScored = HrlfMetrics.windowsScored(operatorGroup);
        windowsFailed = HrlfMetrics.recordsRejected(operatorGroup, RejectReason.INFERENCE_FAILED.name());
        inferenceRetries = HrlfMetrics.inferenceRetries(operatorGroup);
        batchSizes = HrlfMetrics.batchSize(operatorGroup);
        inferenceLatency = HrlfMetrics.inferenceLatencyMillis(operatorGroup);
        eventToScoreLatency = HrlfMetrics.eventToScoreLatencyMillis(operatorGroup);
        windowEndToScoreLatency = HrlfMetrics.windowEndToScoreLatencyMillis(operatorGroup);
    }

    /** Before each retry of a failed TensorFlow call. */
    void retried() {
        inferenceRetries.inc();
    }

    /** A TensorFlow call of {@code size} windows that started at {@code startedNanos} returned usable scores. */
    void batchScored(int size, long startedNanos) {
        inferenceLatency.update((System.nanoTime() - startedNanos) / 1_000_000);
        batchSizes.update(size);
    }

    /** One window of such a batch, scored at {@code nowMillis} (wall clock). */
    void windowScored(AssembledWindow window, long nowMillis) {
        windowsScored.inc();
        MissingPattern pattern = window.missingPattern();
        // get-then-put rather than computeIfAbsent: a capturing lambda would be allocated per window
        Counter byPattern = windowsByPattern.get(pattern);
        if (byPattern == null) {
            byPattern = HrlfMetrics.windowsByPattern(operatorGroup, pattern);
            windowsByPattern.put(pattern, byPattern);
        }
        byPattern.inc();
        eventToScoreLatency.update(Math.max(0, nowMillis - window.firedAtMillis));
        windowEndToScoreLatency.update(Math.max(0, nowMillis - window.windowEndMillis));
    }

    /** A window the model could not score, even alone: counted, logged and turned into a dead letter. */
    ScoringOutcome failed(AssembledWindow window, RuntimeException error) {
        windowsFailed.inc();
        log.error("Window {} could not be scored; sending it to the dead-letter topic", window, error);
        return ScoringOutcome.failed(FailedWindows.deadLetter(window, modelDirectory, error));
    }
}
