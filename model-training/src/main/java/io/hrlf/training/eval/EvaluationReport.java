package io.hrlf.training.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hrlf.contract.MissingPattern;
import io.hrlf.eval.SentimentMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The evaluate command's JSON: {@code {"conditions": {"l,a,v": M, "l": M, ...}, "avg_missing_f1": x,
 * "frame_missing": {"0.1": M, ...}, "lost_midway": {"l": M, ..., "avg_f1": x}}} with
 * M = {@code {"f1", "acc2", "mae", "corr", "acc7", "n"}} ({@link LostMidway}; absent from older reports).
 */
public record EvaluationReport(
        @JsonProperty("conditions") Map<String, SentimentMetrics.Metrics> conditions,
        @JsonProperty("avg_missing_f1") double avgMissingF1,
        @JsonProperty("frame_missing") Map<String, SentimentMetrics.Metrics> frameMissing,
        @JsonProperty("lost_midway") @JsonInclude(JsonInclude.Include.NON_NULL) LostMidway lostMidway) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The element-wise mean of several reports (e.g. over seeds); n is taken from the first. */
    public static EvaluationReport mean(List<EvaluationReport> reports) {
        Map<String, SentimentMetrics.Metrics> conditions = new LinkedHashMap<>();
        reports.get(0).conditions().keySet().forEach(k ->
                conditions.put(k, meanOf(reports.stream().map(r -> r.conditions().get(k)).toList())));
        Map<String, SentimentMetrics.Metrics> frames = new LinkedHashMap<>();
        reports.get(0).frameMissing().keySet().forEach(k ->
                frames.put(k, meanOf(reports.stream().map(r -> r.frameMissing().get(k)).toList())));
        double avg = reports.stream().mapToDouble(EvaluationReport::avgMissingF1).average().orElseThrow();
        LostMidway lost = null;
        if (reports.stream().allMatch(r -> r.lostMidway() != null)) {
            Map<String, SentimentMetrics.Metrics> lostConditions = new LinkedHashMap<>();
            reports.get(0).lostMidway().conditions().keySet().forEach(k -> lostConditions.put(k,
                    meanOf(reports.stream().map(r -> r.lostMidway().conditions().get(k)).toList())));
            lost = new LostMidway(lostConditions,
                    reports.stream().mapToDouble(r -> r.lostMidway().avgF1()).average().orElseThrow());
        }
        return new EvaluationReport(conditions, avg, frames, lost);
    }

    /** The metrics with every modality present. */
    public SentimentMetrics.Metrics complete() {
        return conditions.get(MissingPattern.FULL.code());
    }

    /** The element-wise mean of several metrics (e.g. over seeds); n is taken from the first. */
    private static SentimentMetrics.Metrics meanOf(List<SentimentMetrics.Metrics> all) {
        return new SentimentMetrics.Metrics(all.stream().mapToDouble(SentimentMetrics.Metrics::f1).average().orElseThrow(),
                all.stream().mapToDouble(SentimentMetrics.Metrics::acc2).average().orElseThrow(),
                all.stream().mapToDouble(SentimentMetrics.Metrics::mae).average().orElseThrow(),
                all.stream().mapToDouble(SentimentMetrics.Metrics::corr).average().orElseThrow(),
                all.stream().mapToDouble(SentimentMetrics.Metrics::acc7).average().orElseThrow(), all.get(0).n());
    }

    public void write(Path file) throws IOException {
        JSON.writeValue(file.toFile(), this);
    }

    public static EvaluationReport read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), EvaluationReport.class);
    }

    public static ObjectMapper json() {
        return JSON;
    }
}
