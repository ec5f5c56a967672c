package io.hrlf.training.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hrlf.contract.MissingPattern;
import io.hrlf.eval.SentimentMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The evaluate command's JSON: {@code {"conditions": {"l,a,v": M, "l": M, ...}, "avg_missing_f1": x,
 * "frame_missing": {"0.1": M, ...}}} with M = {@code {"f1", "acc2", "mae", "corr", "acc7", "n"}}.
 */
public record EvaluationReport(
        @JsonProperty("conditions") Map<String, Metrics> conditions,
        @JsonProperty("avg_missing_f1") double avgMissingF1,
        @JsonProperty("frame_missing") Map<String, Metrics> frameMissing) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public record Metrics(
            @JsonProperty("f1") double f1,
            @JsonProperty("acc2") double acc2,
            @JsonProperty("mae") double mae,
            @JsonProperty("corr") double corr,
            @JsonProperty("acc7") double acc7,
            @JsonProperty("n") int n) {
        static Metrics mean(java.util.List<Metrics> all) {
            return new Metrics(all.stream().mapToDouble(Metrics::f1).average().orElseThrow(),
                    all.stream().mapToDouble(Metrics::acc2).average().orElseThrow(),
                    all.stream().mapToDouble(Metrics::mae).average().orElseThrow(),
                    all.stream().mapToDouble(Metrics::corr).average().orElseThrow(),
                    all.stream().mapToDouble(Metrics::acc7).average().orElseThrow(), all.get(0).n());
        }

        static Metrics of(SentimentMetrics.Metrics m) {
            return new Metrics(m.f1(), m.acc2(), m.mae(), m.corr(), m.acc7(), m.n());
        }
    }

    /** The element-wise mean of several reports (e.g. over seeds); n is taken from the first. */
    public static EvaluationReport mean(java.util.List<EvaluationReport> reports) {
        Map<String, Metrics> conditions = new java.util.LinkedHashMap<>();
        reports.get(0).conditions().keySet().forEach(k ->
                conditions.put(k, Metrics.mean(reports.stream().map(r -> r.conditions().get(k)).toList())));
        Map<String, Metrics> frames = new java.util.LinkedHashMap<>();
        reports.get(0).frameMissing().keySet().forEach(k ->
                frames.put(k, Metrics.mean(reports.stream().map(r -> r.frameMissing().get(k)).toList())));
        double avg = reports.stream().mapToDouble(EvaluationReport::avgMissingF1).average().orElseThrow();
        return new EvaluationReport(conditions, avg, frames);
    }

    /** The metrics with every modality present. */
    public Metrics complete() {
        return conditions.get(MissingPattern.COMPLETE);
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
