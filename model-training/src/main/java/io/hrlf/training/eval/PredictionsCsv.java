package io.hrlf.training.eval;

import io.hrlf.contract.MissingPattern;
import io.hrlf.training.data.MultimodalDataset;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Per-segment scores for error analysis and for comparing the stream with the offline model: one row
 * per segment and modality condition (the complete one and the six missing-modality ones), RFC 4180
 * CSV with a header {@value #HEADER}. The condition names the present modalities, e.g. {@code "l,v"}.
 */
public final class PredictionsCsv {
    public static final String HEADER = "segment_id,video,start,end,condition,score,label";

    private PredictionsCsv() {}

    /** Scores every segment of {@code data} under every condition and writes the rows. */
    public static void write(Predictor predictor, MultimodalDataset data, Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(HEADER);
            out.write("\r\n");
            for (MissingPattern condition : MissingPattern.EVERY_NON_EMPTY) {
                float[] scores = predictor.predict(Evaluator.condition(data, condition));
                MultimodalDataset.Segment[] segments = data.segments();
                for (int i = 0; i < data.size(); i++) {
                    MultimodalDataset.Segment s = segments[i];
                    out.write(String.join(",", field(s.id()), field(s.video()), seconds(s.start()), seconds(s.end()),
                            field(condition.code()), Float.toString(scores[i]), Float.toString(data.labels()[i])));
                    out.write("\r\n");
                }
            }
        }
    }

    private static String seconds(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.3f", value);
    }

    /** Quotes a field that holds a comma, a quote or a line break (RFC 4180). */
    static String field(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }
}
