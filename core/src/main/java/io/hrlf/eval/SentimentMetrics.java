package io.hrlf.eval;

import io.hrlf.contract.TensorContract;

/**
 * The sentiment metrics of the CMU-MOSI literature (MulT / CorrKD conventions), written once for
 * training-time evaluation, the evaluate command and serving's polarity.
 */
public final class SentimentMetrics {

    /**
     * @param f1 weighted F1 of (prediction &gt; 0) vs (label &gt; 0) over samples with a non-zero label
     * @param acc2 binary accuracy over the same samples
     * @param mae mean absolute error over all samples
     * @param corr Pearson correlation over all samples (0 when either side is constant)
     * @param acc7 seven-class accuracy: both clipped to [-3, 3] and rounded
     * @param n number of samples
     */
    public record Metrics(double f1, double acc2, double mae, double corr, double acc7, int n) {}

    private SentimentMetrics() {}

    public static Metrics compute(float[] predictions, float[] labels) {
        if (predictions.length != labels.length) {
            throw new IllegalArgumentException(predictions.length + " predictions for " + labels.length + " labels");
        }
        int n = labels.length;
        if (n == 0) {
            throw new IllegalArgumentException("no samples to evaluate");
        }
        double absError = 0;
        int acc7Hits = 0;
        // binary confusion over non-zero labels: positive class = label > 0
        int tp = 0;
        int fp = 0;
        int tn = 0;
        int fn = 0;
        for (int i = 0; i < n; i++) {
            float p = predictions[i];
            float y = labels[i];
            absError += Math.abs(p - y);
            if (Math.round(clip(p)) == Math.round(clip(y))) {
                acc7Hits++;
            }
            if (y == 0f) {
                continue;
            }
            boolean truth = y > 0;
            boolean predicted = p > 0;
            if (truth && predicted) {
                tp++;
            } else if (truth) {
                fn++;
            } else if (predicted) {
                fp++;
            } else {
                tn++;
            }
        }
        int nonZero = tp + fp + tn + fn;
        double acc2 = nonZero == 0 ? 0 : (tp + tn) / (double) nonZero;
        double f1 = nonZero == 0 ? 0 : weightedF1(tp, fp, tn, fn);
        return new Metrics(f1, acc2, absError / n, pearson(predictions, labels), acc7Hits / (double) n, n);
    }

    /** F1 of each class weighted by its support (scikit-learn's average='weighted'). */
    private static double weightedF1(int tp, int fp, int tn, int fn) {
        int positives = tp + fn;
        int negatives = tn + fp;
        double f1Positive = f1(tp, fp, fn);
        double f1Negative = f1(tn, fn, fp);
        return (positives * f1Positive + negatives * f1Negative) / (positives + negatives);
    }

    private static double f1(int truePositive, int falsePositive, int falseNegative) {
        int denominator = 2 * truePositive + falsePositive + falseNegative;
        return denominator == 0 ? 0 : 2.0 * truePositive / denominator;
    }

    private static double pearson(float[] x, float[] y) {
        int n = x.length;
        double meanX = 0;
        double meanY = 0;
        for (int i = 0; i < n; i++) {
            meanX += x[i];
            meanY += y[i];
        }
        meanX /= n;
        meanY /= n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double dx = x[i] - meanX;
            double dy = y[i] - meanY;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.sqrt(sxx * syy);
    }

    private static float clip(float score) {
        return Math.max(TensorContract.SCORE_MIN, Math.min(TensorContract.SCORE_MAX, score));
    }

    /** Clips a model output into the contract's range [-3, 3]; NaN stays NaN so callers can reject it. */
    public static float clipScore(float score) {
        return Float.isNaN(score) ? score : clip(score);
    }

    /**
     * Polarity for consumers: -1 below -neutralBand, +1 above +neutralBand, 0 in between. The binary
     * metrics use the sign (neutralBand 0); dashboards usually want a small neutral band.
     */
    public static int polarity(float score, float neutralBand) {
        if (score > neutralBand) {
            return 1;
        }
        if (score < -neutralBand) {
            return -1;
        }
        return 0;
    }
}
