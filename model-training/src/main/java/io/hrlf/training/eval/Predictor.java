package io.hrlf.training.eval;

import io.hrlf.training.data.MultimodalDataset;

/** Scores a dataset exactly as given (its masks already applied): a training graph or a SavedModel. */
@FunctionalInterface
public interface Predictor {
    float[] predict(MultimodalDataset data);
}
