package io.hrlf.training.train;

import io.hrlf.training.data.MultimodalDataset;

/**
 * What one training run sees.
 *
 * @param train the samples the weights are fitted on
 * @param selection held-out samples that choose the kept student epoch (and stop early); for MOSI the dev
 *     videos, which no feature extractor saw. Null: the last epoch is kept.
 * @param diagnostic samples whose scores are only printed, to watch optimisation; for MOSI a validation
 *     slice of the training videos, which leaks (the extractors were trained on those videos with their
 *     labels) and so never selects anything. Null: none.
 */
public record TrainingData(MultimodalDataset train, MultimodalDataset selection, MultimodalDataset diagnostic) {
    public TrainingData {
        if (train == null || train.size() == 0) {
            throw new IllegalArgumentException("no training samples");
        }
        selection = emptyAsNull(selection);
        diagnostic = emptyAsNull(diagnostic);
    }

    /** Train, then select on {@code selection}; no diagnostic split. */
    public static TrainingData selectingOn(MultimodalDataset train, MultimodalDataset selection) {
        return new TrainingData(train, selection, null);
    }

    private static MultimodalDataset emptyAsNull(MultimodalDataset data) {
        return data == null || data.size() == 0 ? null : data;
    }
}
