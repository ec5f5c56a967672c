package io.hrlf.training.cli;

import java.util.Arrays;
import java.util.Locale;

/** Mean and sample standard deviation over seeds, and their "mean ± std" rendering as F1 x 100. */
final class SeedStats {
    private SeedStats() {}

    static double[] meanStd(double[] xs) {
        double mean = Arrays.stream(xs).average().orElse(Double.NaN);
        double var = Arrays.stream(xs).map(x -> (x - mean) * (x - mean)).sum() / Math.max(1, xs.length - 1);
        return new double[] {mean, Math.sqrt(var)};
    }

    static String percent(double[] meanStd) {
        return String.format(Locale.ROOT, "%.2f ± %.2f", 100 * meanStd[0], 100 * meanStd[1]);
    }
}
