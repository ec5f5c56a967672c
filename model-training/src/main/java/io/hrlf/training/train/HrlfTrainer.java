package io.hrlf.training.train;

import io.hrlf.contract.MissingPattern;
import io.hrlf.eval.SentimentMetrics;
import io.hrlf.training.context.VideoBatches;
import io.hrlf.training.data.FeatureNormalizer;
import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.training.eval.Evaluator;
import io.hrlf.training.missing.MissingnessProtocol;
import io.hrlf.training.missing.SequenceMissingness;
import io.hrlf.training.model.DeterministicSession;
import io.hrlf.training.model.FeedBatch;
import io.hrlf.training.model.HrlfGraph;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import org.tensorflow.Result;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;

/**
 * Trains one variant: the teacher on complete data first (then frozen: no later step touches its
 * variables), then the student on MSM-degraded inputs with distillation from the teacher's view of
 * the complete inputs, HMI, HAL (the discriminators take one step on each batch before the student)
 * and FRF. With a selection set, the student epoch kept is the one with the lowest MAE on it pooled
 * over the complete and the six missing-modality conditions; without one, the last epoch.
 *
 * <p>With context (K &gt; 0) all of that runs the same way (same random stream, same initial weights), the context
 * heads adding exactly zero. Only float rounding differs at first, as the graph holds more ops, but it grows over
 * the epochs: the base model is a different draw of about the same quality, not the model trained without context
 * (its dev F1 differs by up to about 3 points on a seed; README, "Conversational context"). Then the context stage
 * trains only the heads, on whole videos in order: the teacher's on complete inputs, then the student's on videos
 * degraded as streams degrade, distilled from the teacher. Each keeps its best epoch on the selection set (the
 * teacher's only with {@code selectTeacher}, as for its first stage), epoch 0 (no context) included, so a context
 * that does not help there is not kept.
 *
 * <p>Everything random comes from the seed: one {@link Random} drives the batch order and the
 * missingness, the weights and random ops are seeded from it ({@code Layers}) and the session's
 * schedule is fixed where it matters ({@link DeterministicSession}).
 */
public final class HrlfTrainer {
    private static final String TEACHER = "teacher";
    private static final String STUDENT = "student";
    private static final String UNIMODAL = "unimodal";
    private static final String TEACHER_CONTEXT = "teacher context";
    private static final String STUDENT_CONTEXT = "student context";

    private final TrainingData data;
    private final TrainingOptions options;
    private final TrainingListener listener;
    private final TrainedModel model;
    private final HrlfGraph graph;
    private final Random random;
    private final int steps;
    private final int[] dims;

    private HrlfTrainer(TrainingData data, TrainingOptions options, TrainingListener listener, TrainedModel model) {
        this.data = data;
        this.options = options;
        this.listener = listener;
        this.model = model;
        this.graph = model.graph();
        this.random = new Random(options.seed());
        this.steps = data.train().steps();
        this.dims = data.train().dims();
    }

    /** Trains on {@code data.train()}, keeps the student epoch chosen on {@code data.selection()}. */
    public static TrainedModel train(TrainingData data, TrainingOptions options, TrainingListener listener) {
        TrainedModel model = buildModel(data.train(), options);
        try {
            HrlfTrainer trainer = new HrlfTrainer(data, options, listener, model);
            model.session().initialize();
            if (model.graph().teacher != null) {
                trainer.trainTeacher();
            }
            if (model.graph().unimodalPretrain != null) {
                trainer.pretrainUnimodal();
            }
            trainer.trainStudent();
            if (model.graph().teacherContextTrain != null) {
                trainer.trainTeacherContext();
            }
            if (model.graph().studentContextTrain != null) {
                trainer.trainStudentContext();
            }
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * The API the demo and the benchmarks call: {@code validation} is the selection set (generated data
     * does not leak).
     */
    public static TrainedModel train(MultimodalDataset train, MultimodalDataset validation, TrainingOptions options,
                                     TrainingListener listener) {
        return train(TrainingData.selectingOn(train, validation), options, listener);
    }

    /** Normalisation fitted on the training samples, the variant's graph and a session for it. */
    private static TrainedModel buildModel(MultimodalDataset train, TrainingOptions options) {
        FeatureNormalizer normalizer = FeatureNormalizer.fit(train);
        HrlfGraph graph = new HrlfGraph(train.steps(), train.dims(), normalizer, options);
        try {
            return new TrainedModel(graph, DeterministicSession.open(graph.graph), normalizer, options, train.steps(),
                    train.dims());
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    /**
     * One training stage: its epochs, the batches of each epoch (drawn at the start of the epoch from the run's
     * random stream), one optimisation step per batch returning its loss, and how an epoch is judged on a held-out
     * set (null: not judged). With {@code selects} and a selection set, the epoch judged best there is kept (epoch
     * 0, before the stage, offered too when {@code fromEpochZero}); otherwise the last. {@code patience} stops the
     * stage early after {@link TrainingOptions#patience()} epochs without a better one.
     */
    private record Stage(String name, int epochs, Supplier<int[][]> batches, ToDoubleFunction<int[]> step,
                         Function<MultimodalDataset, SentimentMetrics.Metrics> judge, boolean selects,
                         boolean fromEpochZero, boolean patience) {}

    private void run(Stage stage) {
        boolean selecting = stage.selects() && data.selection() != null;
        try (BestEpoch best = selecting ? new BestEpoch(model.session()) : null) {
            if (selecting && stage.fromEpochZero()) {
                best.offer(0, stage.judge().apply(data.selection()).mae());
            }
            for (int epoch = 1; epoch <= stage.epochs() && !(selecting && stage.patience()
                    && patienceRanOut(epoch, best.epoch())); epoch++) {
                double loss = 0;
                int[][] batches = stage.batches().get();
                for (int b = 0; b < batches.length; b++) {
                    loss += stage.step().applyAsDouble(batches[b]);
                    listener.onBatch(stage.name(), epoch, b + 1, batches.length);
                }
                if (data.diagnostic() != null && stage.judge() != null) {
                    listener.onDiagnostic(stage.name(), epoch, stage.judge().apply(data.diagnostic()));
                }
                SentimentMetrics.Metrics selection = data.selection() == null || stage.judge() == null ? null
                        : stage.judge().apply(data.selection());
                if (selecting) {
                    best.offer(epoch, selection.mae());
                }
                listener.onEpoch(stage.name(), epoch, stage.epochs(), loss / batches.length, selection);
            }
            if (selecting) {
                best.restore();
            }
        }
    }

    /**
     * The teacher sees complete inputs only. Its last epoch is kept, or with {@code selectTeacher} and a selection
     * set the epoch with the lowest MAE there (the student has not started, so restoring the whole session
     * touches only the teacher).
     */
    private void trainTeacher() {
        run(new Stage(TEACHER, options.teacherEpochs(), this::shuffledBatches,
                rows -> teacherStep(rows, graph.teacherTrain, options.inputNoise()), this::teacherMetrics,
                options.selectTeacher(), false, false));
    }

    /**
     * MoMKE's first stage: every modality's encoder and its own head learn the task alone, on the complete
     * training inputs, before fusion is trained; the student's later epochs fine-tune them.
     */
    private void pretrainUnimodal() {
        run(new Stage(UNIMODAL, options.unimodalPretrainEpochs(), this::shuffledBatches, this::unimodalStep, null,
                false, false, false));
    }

    /** Student epochs; the best one on the selection set is checkpointed and restored at the end. */
    private void trainStudent() {
        MissingnessProtocol msm = new MissingnessProtocol(options.missingness());
        run(new Stage(STUDENT, options.studentEpochs(), this::shuffledBatches,
                rows -> studentStep(rows, degraded(rows, msm), graph.studentTrain, options.inputNoise(), true),
                held -> pooledOverConditions(model, held), true, false, true));
    }

    /**
     * The teacher's context head, on complete inputs of whole videos in order, with the context stage's noise
     * ({@link TrainingOptions#contextStageNoise()}); the rest of the teacher stays as trained. With
     * {@code selectTeacher} and a selection set the epoch with the lowest complete-input MAE there is kept, epoch 0
     * (the head adding nothing) included.
     */
    private void trainTeacherContext() {
        run(new Stage(TEACHER_CONTEXT, options.contextEpochs(), this::videoBatches,
                rows -> teacherStep(rows, graph.teacherContextTrain, options.contextStageNoise()), this::teacherMetrics,
                options.selectTeacher(), true, false));
    }

    /**
     * The student's context head, on whole videos degraded as a stream degrades ({@link SequenceMissingness}) and
     * with the context stage's noise, distilled from the teacher's view of the complete videos; the rest of the
     * student stays as trained. With a selection set the epoch with the lowest MAE there pooled over the seven
     * conditions and the six lost mid-video ones is kept, epoch 0 (the head adding nothing, i.e. the model without
     * context) included.
     */
    private void trainStudentContext() {
        SequenceMissingness missingness = new SequenceMissingness(new MissingnessProtocol(options.missingness()));
        run(new Stage(STUDENT_CONTEXT, options.contextEpochs(), this::videoBatches,
                rows -> studentStep(rows, degradedVideos(rows, missingness), graph.studentContextTrain,
                        options.contextStageNoise(), false),
                held -> pooledWithLostMidway(model, held), true, true, false));
    }

    private double unimodalStep(int[] rows) {
        MultimodalDataset train = data.train();
        try (FeedBatch feed = new FeedBatch(model.session())
                .inputs(graph.studentInputs, graph.studentMasks, train.allValues(), train.allMasks(), rows, steps, dims)
                .labels(graph.labels, train.labels(), rows);
             Result r = withRegularisation(feed, options.inputNoise()).runner().addTarget(graph.unimodalPretrain)
                     .fetch(graph.studentUnimodalLoss).run()) {
            return ((TFloat32) r.get(0)).getFloat();
        }
    }

    /** One step of {@code train} (the teacher's or its context head's optimizer) on complete inputs. */
    private double teacherStep(int[] rows, Op train, float noiseSigma) {
        MultimodalDataset all = data.train();
        try (FeedBatch feed = model.withContext(new FeedBatch(model.session())
                .inputs(graph.teacherInputs, graph.teacherMasks, all.allValues(), all.allMasks(), rows, steps, dims)
                .labels(graph.labels, all.labels(), rows), all.videoIds(), rows);
             Result r = withRegularisation(feed, noiseSigma).runner().addTarget(train)
                     .fetch(graph.teacherLoss).run()) {
            return ((TFloat32) r.get(0)).getFloat();
        }
    }

    /** The training videos in a fresh order from the run's random stream, packed whole into batches. */
    private int[][] videoBatches() {
        int[][] videos = VideoBatches.videos(data.train().videoIds());
        return VideoBatches.pack(videos, permutation(videos.length), options.batchSize());
    }

    /** Early stop: a selection set has not improved for {@code patience} epochs (when patience is set). */
    private boolean patienceRanOut(int epoch, int bestEpoch) {
        return options.patience() > 0 && epoch - 1 - bestEpoch >= options.patience();
    }

    /**
     * One step of {@code train} (the student's or its context head's optimizer) on {@code rows}: {@code view} is
     * what the student sees of them (row i of the view is {@code rows[i]}), the teacher sees them complete; with
     * {@code discriminatorsFirst} the HAL discriminators step first.
     */
    private double studentStep(int[] rows, MultimodalDataset view, Op train, float noiseSigma,
                               boolean discriminatorsFirst) {
        MultimodalDataset all = data.train();
        int[] viewRows = IntStream.range(0, rows.length).toArray();
        try (FeedBatch feed = model.withContext(new FeedBatch(model.session())
                .inputs(graph.studentInputs, graph.studentMasks, view.allValues(), view.allMasks(), viewRows, steps,
                        dims)
                .labels(graph.labels, all.labels(), rows), all.videoIds(), rows)) {
            withRegularisation(feed, noiseSigma);
            if (graph.teacher != null) {
                feed.inputs(graph.teacherInputs, graph.teacherMasks, all.allValues(), all.allMasks(), rows, steps,
                        dims);
            }
            if (discriminatorsFirst && graph.discriminatorTrain != null) {
                feed.runner().addTarget(graph.discriminatorTrain).run().close();
            }
            try (Result r = feed.runner().addTarget(train).fetch(graph.studentLoss).run()) {
                return ((TFloat32) r.get(0)).getFloat();
            }
        }
    }

    /**
     * Switches dropout and input noise (of standard deviation {@code noiseSigma}: the run's, or in the context
     * stage {@link TrainingOptions#contextStageNoise()}) on for a training step; prediction never feeds them, so
     * they stay 0.
     */
    private FeedBatch withRegularisation(FeedBatch feed, float noiseSigma) {
        if (options.dropout() > 0) {
            feed.scalar(graph.dropoutRate, options.dropout());
        }
        if (noiseSigma > 0) {
            feed.scalar(graph.inputNoise, noiseSigma);
        }
        return feed;
    }

    /** Training missingness applied in place to a batch's inputs (row i of the arrays is row i of the batch). */
    @FunctionalInterface
    private interface Degradation {
        void applyInPlace(float[][] values, float[][] masks, MultimodalDataset batch);
    }

    /** The rows with training missingness sampled from the run's random stream, per row. */
    private MultimodalDataset degraded(int[] rows, MissingnessProtocol msm) {
        return degraded(rows, (values, masks, batch) ->
                msm.applyInPlace(values, masks, rows.length, steps, dims, random));
    }

    /** Whole videos' rows with missingness drawn per video. */
    private MultimodalDataset degradedVideos(int[] rows, SequenceMissingness missingness) {
        return degraded(rows, (values, masks, batch) ->
                missingness.applyInPlace(values, masks, VideoBatches.videos(batch.videoIds()), steps, dims, random));
    }

    /** A copy of the rows with {@code degradation} applied; the rows as they are for a variant without missingness. */
    private MultimodalDataset degraded(int[] rows, Degradation degradation) {
        MultimodalDataset batch = data.train().subset(rows);
        if (!options.variant().usesMissingness()) {
            return batch;
        }
        float[][] values = batch.copyValues();
        float[][] masks = batch.copyMasks();
        degradation.applyInPlace(values, masks, batch);
        return batch.withInputs(values, masks);
    }

    /**
     * The student's metrics pooled over the complete and the six missing conditions on every row, and over the six
     * lost mid-video conditions on the second halves: what the context stage is selected on.
     */
    static SentimentMetrics.Metrics pooledWithLostMidway(TrainedModel model, MultimodalDataset data) {
        boolean[] secondHalf = Evaluator.secondHalves(data);
        List<float[]> predictions = new ArrayList<>();
        List<float[]> labels = new ArrayList<>();
        addConditions(model, data, predictions, labels);
        for (MissingPattern condition : MissingPattern.PAPER_MISSING_CONDITIONS) {
            predictions.add(Evaluator.select(model.predict(Evaluator.lostMidwayInputs(data, condition)), secondHalf));
            labels.add(Evaluator.select(data.labels(), secondHalf));
        }
        return SentimentMetrics.compute(concat(predictions), concat(labels));
    }

    /** The student's scores and the labels of every row under the complete and each missing condition. */
    private static void addConditions(TrainedModel model, MultimodalDataset data, List<float[]> predictions,
                                      List<float[]> labels) {
        for (MissingPattern condition : MissingPattern.EVERY_NON_EMPTY) {
            predictions.add(model.predict(Evaluator.condition(data, condition)));
            labels.add(data.labels());
        }
    }

    private static float[] concat(List<float[]> parts) {
        float[] out = new float[parts.stream().mapToInt(p -> p.length).sum()];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    /** The student's metrics pooled over the complete and the six missing conditions. */
    static SentimentMetrics.Metrics pooledOverConditions(TrainedModel model, MultimodalDataset data) {
        List<float[]> predictions = new ArrayList<>();
        List<float[]> labels = new ArrayList<>();
        addConditions(model, data, predictions, labels);
        return SentimentMetrics.compute(concat(predictions), concat(labels));
    }

    private SentimentMetrics.Metrics teacherMetrics(MultimodalDataset data) {
        return teacherMetrics(model, data);
    }

    /** The teacher's metrics on the complete inputs of {@code data}. */
    static SentimentMetrics.Metrics teacherMetrics(TrainedModel model, MultimodalDataset data) {
        HrlfGraph graph = model.graph();
        float[] out = new float[data.size()];
        // without context one batch of every row, as selection has always been computed (bit for bit)
        int[][] batches = model.options().hasContext() ? model.predictionBatches(data)
                : new int[][] {IntStream.range(0, data.size()).toArray()};
        for (int[] rows : batches) {
            try (FeedBatch feed = model.withContext(new FeedBatch(model.session())
                    .inputs(graph.teacherInputs, graph.teacherMasks, data.allValues(), data.allMasks(), rows,
                            data.steps(), data.dims()), data.videoIds(), rows);
                 Result r = feed.runner().fetch(graph.teacher.score).run()) {
                float[] batch = new float[rows.length];
                ((TFloat32) r.get(0)).copyTo(DataBuffers.of(batch, false, false));
                for (int i = 0; i < rows.length; i++) {
                    out[rows[i]] = batch[i];
                }
            }
        }
        return SentimentMetrics.compute(out, data.labels());
    }

    /** This epoch's batches: a fresh permutation of the training rows from the run's random stream. */
    private int[][] shuffledBatches() {
        int n = data.train().size();
        int batchSize = options.batchSize();
        int[] order = permutation(n);
        int count = (n + batchSize - 1) / batchSize;
        int[][] out = new int[count][];
        for (int b = 0; b < count; b++) {
            out[b] = Arrays.copyOfRange(order, b * batchSize, Math.min(n, (b + 1) * batchSize));
        }
        return out;
    }

    private int[] permutation(int n) {
        int[] order = IntStream.range(0, n).toArray();
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
