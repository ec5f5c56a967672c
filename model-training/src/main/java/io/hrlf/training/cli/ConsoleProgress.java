package io.hrlf.training.cli;

import io.hrlf.eval.SentimentMetrics;
import io.hrlf.training.train.TrainingListener;
import java.io.PrintStream;
import java.util.Locale;

/** A one-line progress bar per epoch, then the epoch's loss and validation metrics. */
final class ConsoleProgress implements TrainingListener {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final long started = System.nanoTime();

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
    public void onEpoch(String phase, int epoch, int epochs, double trainLoss, SentimentMetrics.Metrics v) {
        out.printf(Locale.ROOT, "\r%-7s epoch %3d/%d loss %.4f | validation F1 %.4f Acc-2 %.4f MAE %.4f r %.4f (%.1f s)%n",
                phase, epoch, epochs, trainLoss, v.f1(), v.acc2(), v.mae(), v.corr(),
                (System.nanoTime() - started) / 1e9);
    }
}
