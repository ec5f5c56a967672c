package io.hrlf.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one benchmark run measured: {@code benchmarks.json} (headline ratios at the top level,
 * then one object per section) and {@code tables.md}, the Markdown tables that go into
 * docs/BENCHMARKS.md. A section that could not be measured says so instead of leaving a gap.
 */
final class BenchReport {
    private final Map<String, Object> json = new LinkedHashMap<>();
    private final List<String> tables = new ArrayList<>();

    /** A top-level figure (one of the headline keys of the issue). */
    void headline(String key, Object value) {
        json.put(key, value);
    }

    void section(String name, Object details) {
        json.put(name, details);
    }

    void notMeasured(String section, String reason) {
        json.put(section, Map.of("not_measured", reason));
        tables.add("### " + section + "\n\nNot measured: " + reason + "\n");
    }

    void table(String markdown) {
        tables.add(markdown);
    }

    Object get(String key) {
        return json.get(key);
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("benchmarks.json").toFile(), json);
        Files.writeString(dir.resolve("tables.md"), String.join("\n", tables));
    }

    /** A Markdown table from a header row and rows of cells. */
    static String markdown(String title, String note, List<String> header, List<List<Object>> rows) {
        StringBuilder sb = new StringBuilder("### ").append(title).append("\n\n");
        if (note != null && !note.isBlank()) {
            sb.append(note).append("\n\n");
        }
        sb.append("| ").append(String.join(" | ", header)).append(" |\n|");
        header.forEach(h -> sb.append("---|"));
        sb.append('\n');
        for (List<Object> row : rows) {
            sb.append("| ");
            for (Object cell : row) {
                sb.append(cell instanceof Double d ? format(d) : String.valueOf(cell)).append(" | ");
            }
            sb.setLength(sb.length() - 1);
            sb.append('\n');
        }
        return sb.toString();
    }

    static String format(double value) {
        double r = Stats.round(value);
        if (r == Math.rint(r) && Math.abs(r) < 1e15) {
            return String.format(java.util.Locale.ROOT, "%,d", (long) r);
        }
        return String.valueOf(r);
    }

    /** "median (min-max)" for a table cell. */
    static String spread(double[] runs) {
        if (runs.length == 1) {
            return format(runs[0]);
        }
        return format(Stats.median(runs)) + " (" + format(Stats.min(runs)) + "–" + format(Stats.max(runs)) + ")";
    }
}
