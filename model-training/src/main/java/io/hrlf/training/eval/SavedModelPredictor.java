package io.hrlf.training.eval;

import io.hrlf.contract.ContextSpec;
import io.hrlf.model.ContextBatch;
import io.hrlf.model.ContextScores;
import io.hrlf.model.ModelInput;
import io.hrlf.model.SentimentModel;
import io.hrlf.training.context.VideoBatches;
import io.hrlf.training.data.MultimodalDataset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.stream.IntStream;

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

    /**
     * Scores every row. A model with context is replayed as the job serves it: each video is a participant whose
     * rows (in time order) are scored one at a time, with the representations its earlier rows returned; a call
     * batches the next row of up to {@link #batchSize} videos.
     */
    @Override
    public float[] predict(MultimodalDataset data) {
        return model.hasContext() ? replayInOrder(data) : predictRows(data);
    }

    private float[] predictRows(MultimodalDataset data) {
        int n = data.size();
        float[] scores = new float[n];
        for (int start = 0; start < n; start += batchSize) {
            int[] rows = IntStream.range(start, Math.min(n, start + batchSize)).toArray();
            System.arraycopy(model.predict(input(data, rows)), 0, scores, start, rows.length);
        }
        return scores;
    }

    private float[] replayInOrder(MultimodalDataset data) {
        ContextSpec spec = model.context().orElseThrow();
        float[] scores = new float[data.size()];
        int[][] videos = VideoBatches.videos(data.videoIds());
        List<Deque<float[]>> remembered = new ArrayList<>();
        for (int v = 0; v < videos.length; v++) {
            remembered.add(new ArrayDeque<>());
        }
        int longest = Arrays.stream(videos).mapToInt(rows -> rows.length).max().orElse(0);
        for (int position = 0; position < longest; position++) {
            int p = position;
            int[] due = IntStream.range(0, videos.length).filter(v -> p < videos[v].length).toArray();
            for (int from = 0; from < due.length; from += batchSize) {
                int[] batch = Arrays.copyOfRange(due, from, Math.min(due.length, from + batchSize));
                int[] rows = Arrays.stream(batch).map(v -> videos[v][p]).toArray();
                ContextBatch context = ContextBatch.empty(rows.length, spec);
                for (int i = 0; i < batch.length; i++) {
                    context.setRow(i, new ArrayList<>(remembered.get(batch[i])));
                }
                ContextScores out = model.predict(input(data, rows), context);
                for (int i = 0; i < batch.length; i++) {
                    scores[rows[i]] = out.scores()[i];
                    Deque<float[]> memory = remembered.get(batch[i]);
                    memory.addLast(out.representation(i));
                    if (memory.size() > spec.windows()) {
                        memory.removeFirst();
                    }
                }
            }
        }
        return scores;
    }

    private static ModelInput input(MultimodalDataset data, int[] rows) {
        MultimodalDataset batch = data.subset(rows);
        return new ModelInput(rows.length, data.steps(), data.dims(), batch.allValues(), batch.allMasks());
    }
}
