package io.hrlf.training.train;

import io.hrlf.contract.MissingPattern;
import io.hrlf.eval.SentimentMetrics;
import io.hrlf.training.data.FeatureNormalizer;
import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.training.eval.Evaluator;
import io.hrlf.training.missing.MissingnessProtocol;
import io.hrlf.training.model.FeedBatch;
import io.hrlf.training.model.HrlfGraph;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * Trains one variant: the teacher on complete data first (then frozen: no later step touches its
 * variables), then the student on MSM-degraded inputs with distillation from the teacher's view of
 * the complete inputs, HMI, HAL (the discriminators take one step on each batch before the student)
 * and FRF. The student epoch kept is the one with the lowest validation MAE pooled over the
 * complete and the six missing-modality conditions.
 */
public final class HrlfTrainer {
    private HrlfTrainer() {}

    public static TrainedModel train(MultimodalDataset train, MultimodalDataset validation, TrainingOptions options,
                                     TrainingListener listener) {
        int steps = train.steps();
        int[] dims = train.dims();
        FeatureNormalizer normalizer = FeatureNormalizer.fit(train);
        HrlfGraph graph = new HrlfGraph(steps, dims, normalizer, options);
        Session session = new Session(graph.graph);
        TrainedModel model = new TrainedModel(graph, session, normalizer, options, steps, dims);
        Path checkpoints = null;
        try {
            session.initialize();
            Random random = new Random(options.seed());
            float[][] values = train.allValues();
            float[][] masks = train.allMasks();
            if (graph.teacher != null) {
                for (int epoch = 1; epoch <= options.teacherEpochs(); epoch++) {
                    double loss = 0;
                    int[][] batches = batches(train.size(), options.batchSize(), random);
                    for (int b = 0; b < batches.length; b++) {
                        try (FeedBatch feed = new FeedBatch(session)
                                .inputs(graph.teacherInputs, graph.teacherMasks, values, masks, batches[b], steps, dims)
                                .labels(graph.labels, train.labels(), batches[b]);
                             Result r = feed.runner().addTarget(graph.teacherTrain).fetch(graph.teacherLoss).run()) {
                            loss += ((TFloat32) r.get(0)).getFloat();
                        }
                        listener.onBatch("teacher", epoch, b + 1, batches.length);
                    }
                    listener.onEpoch("teacher", epoch, options.teacherEpochs(), loss / batches.length,
                            SentimentMetrics.compute(predictTeacher(model, validation), validation.labels()));
                }
            }

            MissingnessProtocol msm = new MissingnessProtocol(options.missingness());
            checkpoints = Files.createTempDirectory("hrlf-best-");
            String best = checkpoints.resolve("best").toString();
            double bestMae = Double.POSITIVE_INFINITY;
            for (int epoch = 1; epoch <= options.studentEpochs(); epoch++) {
                double loss = 0;
                int[][] batches = batches(train.size(), options.batchSize(), random);
                for (int b = 0; b < batches.length; b++) {
                    int[] rows = batches[b];
                    float[][] degradedValues = values;
                    float[][] degradedMasks = masks;
                    int[] identity = rows;
                    if (options.variant().usesMissingness()) {
                        MultimodalDataset batch = train.subset(rows);
                        degradedValues = batch.copyValues();
                        degradedMasks = batch.copyMasks();
                        msm.applyInPlace(degradedValues, degradedMasks, rows.length, steps, dims, random);
                        identity = java.util.stream.IntStream.range(0, rows.length).toArray();
                    }
                    try (FeedBatch feed = new FeedBatch(session)
                            .inputs(graph.studentInputs, graph.studentMasks, degradedValues, degradedMasks, identity,
                                    steps, dims)
                            .labels(graph.labels, train.labels(), rows)) {
                        if (graph.teacher != null) {
                            feed.inputs(graph.teacherInputs, graph.teacherMasks, values, masks, rows, steps, dims);
                        }
                        if (graph.discriminatorTrain != null) {
                            // the discriminators step first, on the same batch
                            feed.runner().addTarget(graph.discriminatorTrain).run().close();
                        }
                        try (Result r = feed.runner().addTarget(graph.studentTrain).fetch(graph.studentLoss).run()) {
                            loss += ((TFloat32) r.get(0)).getFloat();
                        }
                    }
                    listener.onBatch("student", epoch, b + 1, batches.length);
                }
                SentimentMetrics.Metrics pooled = pooledOverConditions(model, validation);
                if (pooled.mae() < bestMae) {
                    bestMae = pooled.mae();
                    session.save(best);
                }
                listener.onEpoch("student", epoch, options.studentEpochs(), loss / batches.length, pooled);
            }
            session.restore(best);
            return model;
        } catch (IOException e) {
            model.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        } finally {
            deleteQuietly(checkpoints);
        }
    }

    /** The student's validation metrics pooled over the complete and the six missing conditions. */
    static SentimentMetrics.Metrics pooledOverConditions(TrainedModel model, MultimodalDataset validation) {
        int n = validation.size();
        int conditions = MissingPattern.allNonEmpty().size();
        float[] predictions = new float[n * conditions];
        float[] labels = new float[n * conditions];
        int c = 0;
        for (String condition : MissingPattern.allNonEmpty()) {
            System.arraycopy(model.predict(Evaluator.condition(validation, condition)), 0, predictions, c * n, n);
            System.arraycopy(validation.labels(), 0, labels, c * n, n);
            c++;
        }
        return SentimentMetrics.compute(predictions, labels);
    }

    private static float[] predictTeacher(TrainedModel model, MultimodalDataset data) {
        HrlfGraph graph = model.graph();
        float[][] values = data.allValues();
        float[][] masks = data.allMasks();
        int[] rows = java.util.stream.IntStream.range(0, data.size()).toArray();
        float[] out = new float[data.size()];
        try (FeedBatch feed = new FeedBatch(model.session())
                .inputs(graph.teacherInputs, graph.teacherMasks, values, masks, rows, data.steps(), data.dims());
             Result r = feed.runner().fetch(graph.teacher.score).run()) {
            ((TFloat32) r.get(0)).copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(out, false, false));
        }
        return out;
    }

    private static int[][] batches(int n, int batchSize, Random random) {
        int[] order = java.util.stream.IntStream.range(0, n).toArray();
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int count = (n + batchSize - 1) / batchSize;
        int[][] out = new int[count][];
        for (int b = 0; b < count; b++) {
            out[b] = java.util.Arrays.copyOfRange(order, b * batchSize, Math.min(n, (b + 1) * batchSize));
        }
        return out;
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp checkpoint left behind is harmless
        }
    }
}
