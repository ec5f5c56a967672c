package io.hrlf.training.train;

import io.hrlf.eval.SentimentMetrics;

/** Progress of a training run, for the CLI's progress bar and per-epoch report. */
public interface TrainingListener {
    TrainingListener SILENT = (phase, epoch, epochs, loss, validation) -> { };

    /**
     * @param validation the phase's model on the validation split: complete inputs for the teacher,
     *     the mean over the seven modality conditions' predictions for the student
     */
    void onEpoch(String phase, int epoch, int epochs, double trainLoss, SentimentMetrics.Metrics validation);

    default void onBatch(String phase, int epoch, int batch, int batches) {}
}
