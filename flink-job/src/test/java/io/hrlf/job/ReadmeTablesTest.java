package io.hrlf.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.hrlf.ingest.RejectReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.util.TimeUtils;
import org.junit.jupiter.api.Test;

/**
 * The README's option table and dead-letter-reason table are what operators read; they must name
 * every option with its real default and every reason, and nothing that does not exist.
 */
class ReadmeTablesTest {
    private static final Path README = Path.of("..", "README.md");
    /** A table row whose first cell is one back-quoted name: | `name` | second cell | ... */
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\|([^|]*)\\|");

    /** The rows of the table whose header line starts with {@code header}, by first cell. */
    private static Map<String, String> table(String header) throws IOException {
        List<String> lines = Files.readAllLines(README);
        int start = -1;
        for (int i = 0; i < lines.size() && start < 0; i++) {
            if (lines.get(i).startsWith(header)) {
                start = i + 2; // skip the |---| line
            }
        }
        assertThat(start).as("README table starting with '%s'", header).isPositive();
        Map<String, String> rows = new LinkedHashMap<>();
        for (int i = start; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            Matcher row = ROW.matcher(lines.get(i));
            assertThat(row.find()).as("README table row '%s'", lines.get(i)).isTrue();
            assertThat(rows.put(row.group(1), row.group(2).trim().replace("`", "")))
                    .as("README lists %s twice", row.group(1)).isNull();
        }
        return rows;
    }

    /** How the README writes a default: Flink's own short forms ("1 s", "20 ms", "512 mb"). */
    static String readmeDefault(ConfigOption<?> option) {
        if (!option.hasDefaultValue()) {
            return null;
        }
        Object value = option.defaultValue();
        if (value instanceof Duration duration) {
            return TimeUtils.formatWithHighestUnit(duration);
        }
        if (value instanceof Enum<?> constant) {
            return constant.name(); // as it is set; toString() may be a description
        }
        if (value instanceof MemorySize size) {
            return size.toString();
        }
        return String.valueOf(value);
    }

    @Test
    void theOptionTableListsEveryOptionWithItsDefaultAndNothingElse() throws IOException {
        Map<String, String> readme = table("| key | default |");
        for (ConfigOption<?> option : HrlfOptions.all()) {
            String documented = readme.remove(option.key());
            assertThat(documented).as("README row for %s", option.key()).isNotNull();
            String expected = readmeDefault(option);
            if (expected == null) {
                assertThat(documented).as("%s has no default; the README says why in parentheses", option.key())
                        .startsWith("(");
            } else {
                assertThat(documented).as("README default of %s", option.key()).isEqualTo(expected);
            }
        }
        List<String> passThrough = HrlfOptions.PASS_THROUGH_PREFIXES.stream().map(prefix -> prefix + "*").toList();
        assertThat(readme.keySet()).as("README rows that are no option of the job").containsExactlyInAnyOrderElementsOf(
                passThrough);
    }

    @Test
    void theDeadLetterTableListsEveryReason() throws IOException {
        Map<String, String> readme = table("| reason |");
        assertThat(readme.keySet()).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(RejectReason.values()).map(Enum::name).toList());
    }
}
