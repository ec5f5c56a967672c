package io.hrlf.training.train;

import io.hrlf.contract.ModelMetadata;
import io.hrlf.training.context.ContextSlots;
import io.hrlf.training.context.VideoBatches;
import io.hrlf.training.data.FeatureNormalizer;
import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.training.eval.Predictor;
import io.hrlf.training.export.StudentExporter;
import io.hrlf.training.model.FeedBatch;
import io.hrlf.training.model.HrlfGraph;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** A trained graph and its session: predicts with the student and exports it. Owns native memory. */
public final class TrainedModel implements AutoCloseable, Predictor {
    private static final int PREDICT_BATCH = 512;
    /** Smaller with context: the fed slot selection grows with the square of the batch. */
    private static final int CONTEXT_PREDICT_BATCH = 192;

    private final HrlfGraph graph;
    private final Session session;
    private final FeatureNormalizer normalizer;
    private final TrainingOptions options;
    private final int steps;
    private final int[] dims;

    TrainedModel(HrlfGraph graph, Session session, FeatureNormalizer normalizer, TrainingOptions options, int steps,
                 int[] dims) {
        this.graph = graph;
        this.session = session;
        this.normalizer = normalizer;
        this.options = options;
        this.steps = steps;
        this.dims = dims.clone();
    }

    public TrainingOptions options() {
        return options;
    }

    public FeatureNormalizer normalizer() {
        return normalizer;
    }

    HrlfGraph graph() {
        return graph;
    }

    Session session() {
        return session;
    }

    /**
     * The student's scores for the dataset's inputs as given. With context, each row is scored with the
     * representations of its video's earlier rows in the dataset (rows of a video in time order), as the job
     * scores a participant's windows in order.
     */
    @Override
    public float[] predict(MultimodalDataset data) {
        float[] out = new float[data.size()];
        float[][] values = data.allValues();
        float[][] masks = data.allMasks();
        for (int[] rows : predictionBatches(data)) {
            try (FeedBatch batch = withContext(new FeedBatch(session)
                    .inputs(graph.studentInputs, graph.studentMasks, values, masks, rows, steps, dims),
                    data.videoIds(), rows);
                 Result result = batch.runner().fetch(graph.student.score).run()) {
                float[] scores = new float[rows.length];
                ((TFloat32) result.get(0)).copyTo(DataBuffers.of(scores, false, false));
                for (int i = 0; i < rows.length; i++) {
                    out[rows[i]] = scores[i];
                }
            }
        }
        return out;
    }

    /**
     * With context, feeds the slots of {@code rows} (of a dataset whose rows are in {@code videoIds}). Before the
     * context stages the context heads add exactly zero, whatever the slots.
     */
    FeedBatch withContext(FeedBatch feed, String[] videoIds, int[] rows) {
        if (graph.contextMask == null) {
            return feed;
        }
        String[] videos = new String[rows.length];
        for (int r = 0; r < rows.length; r++) {
            videos[r] = videoIds[rows[r]];
        }
        return feed.context(graph.contextSelection, graph.contextMask,
                ContextSlots.of(videos, options.contextWindows()));
    }

    /** Row batches to predict in: consecutive rows, or with context whole videos (so each row's context is there). */
    int[][] predictionBatches(MultimodalDataset data) {
        if (options.hasContext()) {
            int[][] videos = VideoBatches.videos(data.videoIds());
            return VideoBatches.pack(videos, IntStream.range(0, videos.length).toArray(), CONTEXT_PREDICT_BATCH);
        }
        int count = (data.size() + PREDICT_BATCH - 1) / PREDICT_BATCH;
        int[][] batches = new int[count][];
        for (int b = 0; b < count; b++) {
            batches[b] = IntStream.range(b * PREDICT_BATCH, Math.min(data.size(), (b + 1) * PREDICT_BATCH)).toArray();
        }
        return batches;
    }

    /**
     * Writes the student as a SavedModel with the contract's {@code serving_default} signature
     * (raw features in: normalisation is part of the graph) and the metadata file beside it.
     */
    public void exportStudent(Path dir, ModelMetadata metadata) throws IOException {
        StudentExporter.export(graph, session, dir, metadata);
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
