package io.hrlf.training.cli;

import io.hrlf.eval.SentimentMetrics;
import io.hrlf.training.train.TrainingListener;
import java.io.PrintStream;
import java.util.Locale;

/** A one-line progress bar per epoch, then the epoch's loss and its dev (and diagnostic) metrics. */
final class ConsoleProgress implements TrainingListener {
    /** How the leaky in-training validation is labelled wherever it is printed. */
    static final String LEAKY_LABEL = "optimisation diagnostic only (leaks)";
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final long started = System.nanoTime();
    private SentimentMetrics.Metrics diagnostic;

    ConsoleProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onBatch(String phase, int epoch, int batch, int batches) {
        int filled = WIDTH * batch / batches;
        out.printf(Locale.ROOT, "\r%-7s epoch %3d [%s%s] %d/%d", phase, epoch, "#".repeat(filled),
                " ".repeat(WIDTH - filled), batch, batches);
        out.flush();
    }

    @Override
    public void onDiagnostic(String phase, int epoch, SentimentMetrics.Metrics metrics) {
        this.diagnostic = metrics;
    }

    @Override
    public void onEpoch(String phase, int epoch, int epochs, double trainLoss, SentimentMetrics.Metrics dev) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "\r%-7s epoch %3d/%d loss %.4f", phase, epoch,
                epochs, trainLoss));
        if (dev != null) {
            line.append(" | dev ").append(format(dev));
        }
        if (diagnostic != null) {
            line.append(" | validation, ").append(LEAKY_LABEL).append(": ").append(format(diagnostic));
            diagnostic = null;
        }
        out.printf(Locale.ROOT, "%s (%.1f s)%n", line, (System.nanoTime() - started) / 1e9);
    }

    private static String format(SentimentMetrics.Metrics m) {
        return String.format(Locale.ROOT, "F1 %.4f Acc-2 %.4f MAE %.4f r %.4f", m.f1(), m.acc2(), m.mae(), m.corr());
    }
}
