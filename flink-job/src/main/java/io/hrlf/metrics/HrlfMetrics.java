package io.hrlf.metrics;

import io.hrlf.contract.MissingPattern;
import io.hrlf.contract.Modality;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * Every metric of the job, under one group {@value #GROUP} so operators find them together in the
 * Flink dashboard and in reporters (e.g. Prometheus: {@code flink_taskmanager_job_task_operator_hrlf_*}).
 * Operators call these in {@code open()} with their own metric group; names are defined only here.
 */
public final class HrlfMetrics {
    /**
     * Wall-clock score time minus the window's event-time end, under hrlf. Meaningful only when
     * event time tracks the wall clock (live calls); in a replay it measures the replay's age.
     */
    public static final String WINDOW_END_TO_SCORE_METRIC = "windowEndToScoreLatencyMs";

    /** Retries of failed TensorFlow calls, under hrlf. */
    public static final String INFERENCE_RETRIES_METRIC = "inferenceRetries";

    public static final String GROUP = "hrlf";
    /** Samples kept by each histogram: enough for stable p99s, bounded memory. */
    public static final int HISTOGRAM_WINDOW = 1000;

    private HrlfMetrics() {}

    public static MetricGroup group(MetricGroup operatorGroup) {
        return operatorGroup.addGroup(GROUP);
    }

    /** Frames accepted per modality: hrlf.&lt;modality&gt;.framesIn. */
    public static Counter framesIn(MetricGroup operatorGroup, Modality modality) {
        return group(operatorGroup).addGroup(modality.inputName()).counter("framesIn");
    }

    /** Frames that arrived after every window they belong to was closed: hrlf.&lt;modality&gt;.framesLate. */
    public static Counter framesLate(MetricGroup operatorGroup, Modality modality) {
        return group(operatorGroup).addGroup(modality.inputName()).counter("framesLate");
    }

    /** Records sent to the dead-letter topic, by reason code: hrlf.rejected.&lt;REASON&gt;. */
    public static Counter recordsRejected(MetricGroup operatorGroup, String reason) {
        return group(operatorGroup).addGroup("rejected").counter(reason);
    }

    public static Counter windowsScored(MetricGroup operatorGroup) {
        return group(operatorGroup).counter("windowsScored");
    }

    /** Windows scored per missing-modality pattern: hrlf.pattern.l_a_v, hrlf.pattern.l_v, ..., hrlf.pattern.none. */
    public static Counter windowsByPattern(MetricGroup operatorGroup, MissingPattern pattern) {
        String code = pattern.code();
        String name = code.isEmpty() ? "none" : code.replace(',', '_');
        return group(operatorGroup).addGroup("pattern").counter(name);
    }

    public static Counter inferenceRetries(MetricGroup operatorGroup) {
        return group(operatorGroup).counter(INFERENCE_RETRIES_METRIC);
    }

    public static Histogram batchSize(MetricGroup operatorGroup) {
        return group(operatorGroup).histogram("batchSize", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    }

    public static Histogram inferenceLatencyMillis(MetricGroup operatorGroup) {
        return group(operatorGroup).histogram("inferenceLatencyMs", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    }

    /** From the end of the window (event time) to its score, in wall-clock ms: what live dashboards watch. */
    public static Histogram windowEndToScoreLatencyMillis(MetricGroup operatorGroup) {
        return group(operatorGroup).histogram(WINDOW_END_TO_SCORE_METRIC,
                new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    }

    public static Histogram eventToScoreLatencyMillis(MetricGroup operatorGroup) {
        return group(operatorGroup).histogram("eventToScoreLatencyMs", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    }
}
