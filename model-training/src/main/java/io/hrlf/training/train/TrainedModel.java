package io.hrlf.training.train;

import io.hrlf.contract.ModelMetadata;
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

    /** The student's scores for the dataset's inputs as given. */
    @Override
    public float[] predict(MultimodalDataset data) {
        float[] out = new float[data.size()];
        float[][] values = data.allValues();
        float[][] masks = data.allMasks();
        for (int from = 0; from < data.size(); from += PREDICT_BATCH) {
            int[] rows = IntStream.range(from, Math.min(data.size(), from + PREDICT_BATCH)).toArray();
            try (FeedBatch batch = new FeedBatch(session)
                    .inputs(graph.studentInputs, graph.studentMasks, values, masks, rows, steps, dims);
                 Result result = batch.runner().fetch(graph.student.score).run()) {
                ((TFloat32) result.get(0)).copyTo(DataBuffers.of(out, false, false).offset(from));
            }
        }
        return out;
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
