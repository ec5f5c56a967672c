package io.hrlf.bench;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs the benchmark's sections. A section that fails is written into the report as "not measured"
 * with its reason and then fails (its JUnit test, and so the run): a benchmark run with a broken
 * section must not look green. Each section is its own test, so the others still run, and the
 * report is still written after them.
 */
final class BenchSections {
    private final BenchReport report;
    /** The sections to run; empty: all of them. */
    private final Set<String> selected;

    /** @param selection {@code -Dbench.sections}: comma-separated section names, blank for all */
    BenchSections(BenchReport report, String selection) {
        this.report = report;
        this.selected = selection == null || selection.isBlank() ? Set.of()
                : Arrays.stream(selection.split(",")).map(String::trim).collect(Collectors.toSet());
    }

    /** Runs section {@code name} if it is selected; a failure is reported, then thrown as an AssertionError. */
    void run(String name, Body body) {
        if (!selected.isEmpty() && !selected.contains(name)) {
            report.notMeasured(name, "section not selected (-Dbench.sections)");
            return;
        }
        long started = System.nanoTime();
        try {
            body.run();
        } catch (Throwable e) {
            report.notMeasured(name, "failed: " + e);
            throw new AssertionError("bench section " + name + " failed: " + e, e);
        } finally {
            System.out.printf("bench section %s took %.0f s%n", name, (System.nanoTime() - started) / 1e9);
        }
    }

    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }
}
