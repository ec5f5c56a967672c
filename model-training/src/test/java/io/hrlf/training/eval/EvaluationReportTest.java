package io.hrlf.training.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.hrlf.eval.SentimentMetrics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's JSON holds core's metrics record and reads back equal; the mean over reports is element-wise. */
class EvaluationReportTest {
    private static EvaluationReport report(double f1) {
        SentimentMetrics.Metrics m = new SentimentMetrics.Metrics(f1, f1 / 2, 1 - f1, f1 / 3, f1 / 4, 10);
        return new EvaluationReport(Map.of("l,a,v", m), f1, Map.of("0.5", m), new LostMidway(Map.of("l", m), f1));
    }

    @Test
    void writesAndReadsBackTheSameReport(@TempDir Path dir) throws Exception {
        EvaluationReport written = report(0.75);
        written.write(dir.resolve("r.json"));
        assertThat(EvaluationReport.read(dir.resolve("r.json"))).isEqualTo(written);
    }

    @Test
    void theMeanIsTakenPerMetric() {
        EvaluationReport mean = EvaluationReport.mean(List.of(report(0.6), report(0.8)));
        assertThat(mean.complete().f1()).isEqualTo(0.7, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(mean.frameMissing().get("0.5").mae()).isEqualTo(0.3, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(mean.avgMissingF1()).isEqualTo(0.7, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(mean.lostMidway().avgF1()).isEqualTo(0.7, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(mean.lostMidway().conditions().get("l").mae()).isEqualTo(0.3,
                org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void aReportWrittenBeforeLostMidwayExistedStillReads(@TempDir Path dir) throws Exception {
        EvaluationReport old = new EvaluationReport(report(0.75).conditions(), 0.75, report(0.75).frameMissing(), null);
        old.write(dir.resolve("old.json"));
        assertThat(java.nio.file.Files.readString(dir.resolve("old.json"))).doesNotContain("lost_midway");
        assertThat(EvaluationReport.read(dir.resolve("old.json"))).isEqualTo(old);
    }
}
