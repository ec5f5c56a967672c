package io.hrlf.training.eval;

import io.hrlf.contract.Modality;
import io.hrlf.model.ModelInput;
import io.hrlf.model.SentimentModel;
import io.hrlf.training.data.MultimodalDataset;
import java.util.Arrays;

/**
 * Scores a dataset through core's {@link SentimentModel}, the exact code path the Flink job serves with, so an
 * evaluation measures what production would compute. Rows are fed in batches of {@link #batchSize} to bound the
 * size of each TensorFlow feed. The model is owned by the caller (this class never closes it).
 */
public final class SavedModelPredictor implements Predictor {
    /** Rows per TensorFlow call; large enough to amortise the call, small enough to keep feeds a few MB. */
    public static final int DEFAULT_BATCH_SIZE = 256;

    private final SentimentModel model;
    private final int batchSize;

    public SavedModelPredictor(SentimentModel model) {
        this(model, DEFAULT_BATCH_SIZE);
    }

    public SavedModelPredictor(SentimentModel model, int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive, was " + batchSize);
        }
        this.model = model;
        this.batchSize = batchSize;
    }

    @Override
    public float[] predict(MultimodalDataset data) {
        int n = data.size();
        int steps = data.steps();
        float[] scores = new float[n];
        for (int start = 0; start < n; start += batchSize) {
            int rows = Math.min(batchSize, n - start);
            float[][] values = new float[Modality.ALL.size()][];
            float[][] masks = new float[Modality.ALL.size()][];
            for (Modality m : Modality.ALL) {
                int d = data.dim(m);
                values[m.ordinal()] = Arrays.copyOfRange(data.values(m), start * steps * d, (start + rows) * steps * d);
                masks[m.ordinal()] = Arrays.copyOfRange(data.masks(m), start * steps, (start + rows) * steps);
            }
            float[] batch = model.predict(new ModelInput(rows, steps, data.dims(), values, masks));
            System.arraycopy(batch, 0, scores, start, rows);
        }
        return scores;
    }
}
