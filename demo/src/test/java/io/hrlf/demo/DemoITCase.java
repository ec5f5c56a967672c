package io.hrlf.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The README's first command, shortened: train a model on the fly, run the simulated calls through
 * embedded Kafka and a local Flink cluster, and check the console's closing summary.
 */
class DemoITCase {

    @Test
    void theDemoScoresEveryParticipantAndShowsTheLateTranscriptAsMissingText() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new DemoMain()).execute("--duration", "16", "--epochs", "3", "--port", "0");
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        original.println(out);
        assertThat(exit).isZero();
        Matcher summary = Pattern.compile("demo summary: windows=(\\d+) participants=(\\d+) patterns=(.*)").matcher(out);
        assertThat(summary.find()).as("summary line in:%n%s", out).isTrue();
        assertThat(Integer.parseInt(summary.group(1))).isGreaterThanOrEqualTo(6);
        assertThat(Integer.parseInt(summary.group(2))).isEqualTo(6);
        // call-3/alice's transcript is always later than the allowed lateness: her windows have no text
        assertThat(summary.group(3)).contains("{a,v}:").contains("{l,a,v}:");
        assertThat(out).containsPattern("call-3/alice +score [+-]\\d\\.\\d\\d .*present: a,v ");
    }
}
