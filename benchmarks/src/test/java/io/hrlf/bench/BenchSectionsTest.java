package io.hrlf.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class BenchSectionsTest {
    private final BenchReport report = new BenchReport();

    @Test
    void aFailingSectionFailsAndIsReportedAsNotMeasured() {
        BenchSections sections = new BenchSections(report, "");

        assertThatThrownBy(() -> sections.run("scoring", () -> {
            throw new IllegalStateException("broker down");
        })).isInstanceOf(AssertionError.class).hasMessageContaining("scoring").hasRootCauseMessage("broker down");
        assertThat(report.get("scoring"))
                .isEqualTo(Map.of("not_measured", "failed: java.lang.IllegalStateException: broker down"));
    }

    @Test
    void aPassingSectionRunsAndLeavesItsOwnResults() {
        BenchSections sections = new BenchSections(report, "");
        AtomicBoolean ran = new AtomicBoolean();

        sections.run("scoring", () -> ran.set(true));

        assertThat(ran).isTrue();
        assertThat(report.get("scoring")).isNull();
    }

    @Test
    void anUnselectedSectionIsSkippedWithoutFailing() {
        BenchSections sections = new BenchSections(report, "pipeline, latency");
        AtomicBoolean ran = new AtomicBoolean();

        sections.run("scoring", () -> ran.set(true));

        assertThat(ran).isFalse();
        assertThat(report.get("scoring")).isEqualTo(Map.of("not_measured", "section not selected (-Dbench.sections)"));
    }
}
