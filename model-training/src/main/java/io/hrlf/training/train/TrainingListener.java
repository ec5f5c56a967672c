package io.hrlf.training.train;

import io.hrlf.eval.SentimentMetrics;

/** Progress of a training run, for the CLI's progress bar and per-epoch report. */
public interface TrainingListener {
    TrainingListener SILENT = (phase, epoch, epochs, loss, selection) -> { };

    /**
     * Called at the end of each epoch.
     *
     * @param selection the phase's model on the selection set ({@link TrainingData#selection()}): complete
     *     inputs for the teacher, the seven modality conditions' predictions pooled for the student; null
     *     when the run has no selection set
     */
    void onEpoch(String phase, int epoch, int epochs, double trainLoss, SentimentMetrics.Metrics selection);

    /**
     * Called before {@link #onEpoch} when the run has a diagnostic set ({@link TrainingData#diagnostic()}),
     * with the same measure on it. For optimisation diagnostics only: on MOSI that split leaks.
     */
    default void onDiagnostic(String phase, int epoch, SentimentMetrics.Metrics diagnostic) {}

    default void onBatch(String phase, int epoch, int batch, int batches) {}
}
