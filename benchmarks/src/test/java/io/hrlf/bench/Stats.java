package io.hrlf.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Medians, spreads and percentiles of repeated measurements. The machine is shared, so every figure
 * the benchmark reports is a median of several runs with its min and max beside it.
 */
final class Stats {
    private Stats() {}

    static double median(double[] values) {
        return percentile(values, 50);
    }

    /** Nearest-rank percentile (p in 0..100) of the values; NaN when there are none. */
    static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        if (p == 50 && sorted.length % 2 == 0) {
            return (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double percentile(long[] values, double p) {
        return percentile(Arrays.stream(values).asDoubleStream().toArray(), p);
    }

    static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    /** {"median", "min", "max", "runs"}: how the report writes a repeated figure. */
    static Map<String, Object> summary(double[] runs) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("median", round(median(runs)));
        out.put("min", round(min(runs)));
        out.put("max", round(max(runs)));
        out.put("runs", Arrays.stream(runs).map(Stats::round).toArray());
        return out;
    }

    /** Three significant digits are all a shared 2-core machine can support. */
    static double round(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value) || value == 0) {
            return value;
        }
        double scale = Math.pow(10, 2 - (int) Math.floor(Math.log10(Math.abs(value))));
        return Math.round(value * scale) / scale;
    }
}
