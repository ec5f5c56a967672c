package io.hrlf.training.eval;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hrlf.eval.SentimentMetrics;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The streaming case "lost mid-video": every modality present in the first half of each video, only the
 * condition's modalities in the second; metrics over the second-half segments, per missing-modality condition.
 * JSON: {@code {"l": M, "a": M, ..., "avg_f1": x}} (issue 14's format).
 *
 * @param conditions per condition code, the metrics over the second-half segments
 * @param avgF1 the mean F1 over the conditions
 */
public record LostMidway(Map<String, SentimentMetrics.Metrics> conditions, double avgF1) {
    static final String AVG_F1 = "avg_f1";
    private static final ObjectMapper JSON = new ObjectMapper();

    @JsonValue
    Map<String, Object> json() {
        Map<String, Object> out = new LinkedHashMap<>(conditions);
        out.put(AVG_F1, avgF1);
        return out;
    }

    @JsonCreator
    static LostMidway fromJson(Map<String, Object> json) {
        Map<String, SentimentMetrics.Metrics> conditions = new LinkedHashMap<>();
        json.forEach((key, value) -> {
            if (!key.equals(AVG_F1)) {
                conditions.put(key, JSON.convertValue(value, SentimentMetrics.Metrics.class));
            }
        });
        return new LostMidway(conditions, ((Number) json.get(AVG_F1)).doubleValue());
    }
}
