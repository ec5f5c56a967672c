package io.hrlf.training.train;

import io.hrlf.training.missing.MissingnessOptions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every training option, with its default. The paper's open choices are here as named options
 * (README, "Model"): the loss weights (the paper sums the losses unweighted: {@link #paperWeights()}),
 * the training-time missingness, the width d and the split of C_m into Q_m and U_m (d/2 each), and the
 * regularisation the paper does not state.
 *
 * <p>The defaults and the dev measurements behind each are in the README's "Model" section.
 *
 * @param weightDecay coefficient of an L2 penalty on every weight matrix of the teacher and the student
 * @param dropout rate of dropout on each modality's code and on the fusion stack's hidden layers, while training
 * @param inputNoise standard deviation of Gaussian noise added to the normalised observed features while training
 * @param modalityGate fuse the modalities with a learned per-sample weighting over the present ones
 * @param unimodalWeight weight of a per-modality head's task loss on each present modality's sentiment code
 *     (MoMKE-style unimodal experts, trained jointly; 0: no such heads)
 * @param patience with a selection set, stop the student after this many epochs without a better one (0: never)
 * @param unimodalPretrainEpochs epochs in which each modality's encoder and its own head learn the task alone, on
 *     complete training inputs, before the student is trained (MoMKE's first stage; 0: no such stage)
 * @param selectTeacher with a selection set, keep the teacher epoch with the lowest MAE on its complete inputs
 *     (otherwise the last one): a teacher that has memorised the leaky training features is a poor guide
 *     (on by default: on MOSI dev it raised {@code full} on 4 of 5 paired seeds; README, "Model")
 * @param contextWindows K, the participant's earlier windows each window is scored with (conversational context,
 *     {@code ContextHead}); 0: every window alone, the utterance-only model
 * @param contextDim d_c, the length of the representation a window leaves for its successors (with K &gt; 0)
 * @param contextEpochs epochs of the context stage (with K &gt; 0), which trains only the context heads after the
 *     rest of the model has been trained as without context
 * @param contextNoise standard deviation of Gaussian noise on the normalised observed features during the context
 *     stage (with K &gt; 0), in place of {@code inputNoise} there; 0 keeps {@code inputNoise} in that stage too. The
 *     hypothesis it tests: on the training videos a window's own features are far more telling than on unseen ones
 *     (DESIGN: the extractors saw those videos), so a head trained there leans on the past too little. Default 0:
 *     on the dev videos σ = 4, paired against the same recipe without it, moved lost mid-video F1 by +0.97 on
 *     seeds 1-5 and -0.47 on seeds 6-10 (README, "Conversational context"). With dropout on, the noise op also
 *     shifts the seeds the dropout ops draw, so the stages before the context stage draw other dropout masks
 */
public record TrainingOptions(
        Variant variant,
        long seed,
        int teacherEpochs,
        int studentEpochs,
        int batchSize,
        float learningRate,
        int modelDim,
        float frfWeight,
        float hmiWeight,
        float halWeight,
        float kdWeight,
        MissingnessOptions missingness,
        TaskLoss taskLoss,
        float weightDecay,
        float dropout,
        float inputNoise,
        boolean modalityGate,
        float unimodalWeight,
        int patience,
        int unimodalPretrainEpochs,
        boolean selectTeacher,
        int contextWindows,
        int contextDim,
        int contextEpochs,
        float contextNoise) {

    public static TrainingOptions defaults() {
        return new TrainingOptions(Variant.FULL, 1L, 30, 40, 128, 1e-3f, 40, 0.1f, 0.1f, 0.05f, 1.0f,
                MissingnessOptions.TRAINING_DEFAULT, TaskLoss.MSE, 0f, 0f, 0f, false, 0f, 0, 0, true, 0, 16, 100, 0f);
    }

    /** The paper's objective: L_task + L_FRF + L_HMI + L_HAL + L_KL with every weight 1. */
    public TrainingOptions paperWeights() {
        return withWeights(1f, 1f, 1f, 1f);
    }

    public TrainingOptions withVariant(Variant v) {
        return edit().variant(v).build();
    }

    public TrainingOptions withSeed(long s) {
        return edit().seed(s).build();
    }

    /** Same number of epochs for teacher and student. */
    public TrainingOptions withEpochs(int epochs) {
        return edit().teacherEpochs(epochs).studentEpochs(epochs).build();
    }

    public TrainingOptions withEpochs(int teacher, int student) {
        return edit().teacherEpochs(teacher).studentEpochs(student).build();
    }

    public TrainingOptions withBatchSize(int size) {
        return edit().batchSize(size).build();
    }

    public TrainingOptions withModelDim(int dim) {
        return edit().modelDim(dim).build();
    }

    public TrainingOptions withWeights(float frf, float hmi, float hal, float kd) {
        return edit().frfWeight(frf).hmiWeight(hmi).halWeight(hal).kdWeight(kd).build();
    }

    public TrainingOptions withMissingness(MissingnessOptions m) {
        return edit().missingness(m).build();
    }

    public TrainingOptions withTaskLoss(TaskLoss loss) {
        return edit().taskLoss(loss).build();
    }

    public TrainingOptions withRegularisation(float decay, float dropoutRate, float noise) {
        return edit().weightDecay(decay).dropout(dropoutRate).inputNoise(noise).build();
    }

    public TrainingOptions withModalityGate(boolean gate) {
        return edit().modalityGate(gate).build();
    }

    public TrainingOptions withUnimodalWeight(float weight) {
        return edit().unimodalWeight(weight).build();
    }

    public TrainingOptions withPatience(int epochs) {
        return edit().patience(epochs).build();
    }

    public TrainingOptions withUnimodalPretrainEpochs(int epochs) {
        return edit().unimodalPretrainEpochs(epochs).build();
    }

    public TrainingOptions withSelectTeacher(boolean select) {
        return edit().selectTeacher(select).build();
    }

    public TrainingOptions withContext(int windows, int dim) {
        if (windows < 0 || dim <= 0) {
            throw new IllegalArgumentException("context windows must be >= 0 and its dimension > 0, got " + windows
                    + " and " + dim);
        }
        return edit().contextWindows(windows).contextDim(dim).build();
    }

    public TrainingOptions withContextEpochs(int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("context epochs must be >= 0, got " + epochs);
        }
        return edit().contextEpochs(epochs).build();
    }

    public TrainingOptions withContextNoise(float sigma) {
        if (!(Float.isFinite(sigma) && sigma >= 0)) {
            throw new IllegalArgumentException("context noise must be finite and >= 0, got " + sigma);
        }
        return edit().contextNoise(sigma).build();
    }

    /** The input noise of the context stage: the context noise if set, else the run's input noise. */
    public float contextStageNoise() {
        return contextNoise > 0 ? contextNoise : inputNoise;
    }

    /** Whether each window is scored with the representations its predecessors left. */
    public boolean hasContext() {
        return contextWindows > 0;
    }

    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("variant", variant.cliName());
        map.put("seed", seed);
        map.put("teacherEpochs", teacherEpochs);
        map.put("studentEpochs", studentEpochs);
        map.put("batchSize", batchSize);
        map.put("learningRate", learningRate);
        map.put("modelDim", modelDim);
        map.put("frfWeight", frfWeight);
        map.put("hmiWeight", hmiWeight);
        map.put("halWeight", halWeight);
        map.put("kdWeight", kdWeight);
        map.put("modalityDropProbability", missingness.modalityDropProbability());
        map.put("maxFrameDropRate", missingness.maxFrameDropRate());
        map.put("keepAtLeastOneModality", missingness.keepAtLeastOne());
        map.put("taskLoss", taskLoss.name());
        map.put("weightDecay", weightDecay);
        map.put("dropout", dropout);
        map.put("inputNoise", inputNoise);
        map.put("modalityGate", modalityGate);
        map.put("unimodalWeight", unimodalWeight);
        map.put("patience", patience);
        map.put("unimodalPretrainEpochs", unimodalPretrainEpochs);
        map.put("selectTeacher", selectTeacher);
        map.put("contextWindows", contextWindows);
        if (hasContext()) {
            map.put("contextDim", contextDim);
            map.put("contextEpochs", contextEpochs);
            map.put("contextNoise", contextNoise);
        }
        return map;
    }

    private Editor edit() {
        return new Editor(this);
    }

    /** A mutable copy, so each {@code withX} names only what it changes. */
    private static final class Editor {
        private Variant variant;
        private long seed;
        private int teacherEpochs;
        private int studentEpochs;
        private int batchSize;
        private final float learningRate;
        private int modelDim;
        private float frfWeight;
        private float hmiWeight;
        private float halWeight;
        private float kdWeight;
        private MissingnessOptions missingness;
        private TaskLoss taskLoss;
        private float weightDecay;
        private float dropout;
        private float inputNoise;
        private boolean modalityGate;
        private float unimodalWeight;
        private int patience;
        private int unimodalPretrainEpochs;
        private boolean selectTeacher;
        private int contextWindows;
        private int contextDim;
        private int contextEpochs;
        private float contextNoise;

        Editor(TrainingOptions o) {
            variant = o.variant;
            seed = o.seed;
            teacherEpochs = o.teacherEpochs;
            studentEpochs = o.studentEpochs;
            batchSize = o.batchSize;
            learningRate = o.learningRate;
            modelDim = o.modelDim;
            frfWeight = o.frfWeight;
            hmiWeight = o.hmiWeight;
            halWeight = o.halWeight;
            kdWeight = o.kdWeight;
            missingness = o.missingness;
            taskLoss = o.taskLoss;
            weightDecay = o.weightDecay;
            dropout = o.dropout;
            inputNoise = o.inputNoise;
            modalityGate = o.modalityGate;
            unimodalWeight = o.unimodalWeight;
            patience = o.patience;
            unimodalPretrainEpochs = o.unimodalPretrainEpochs;
            selectTeacher = o.selectTeacher;
            contextWindows = o.contextWindows;
            contextDim = o.contextDim;
            contextEpochs = o.contextEpochs;
            contextNoise = o.contextNoise;
        }

        Editor variant(Variant v) { variant = v; return this; }
        Editor seed(long s) { seed = s; return this; }
        Editor teacherEpochs(int e) { teacherEpochs = e; return this; }
        Editor studentEpochs(int e) { studentEpochs = e; return this; }
        Editor batchSize(int b) { batchSize = b; return this; }
        Editor modelDim(int d) { modelDim = d; return this; }
        Editor frfWeight(float w) { frfWeight = w; return this; }
        Editor hmiWeight(float w) { hmiWeight = w; return this; }
        Editor halWeight(float w) { halWeight = w; return this; }
        Editor kdWeight(float w) { kdWeight = w; return this; }
        Editor missingness(MissingnessOptions m) { missingness = m; return this; }
        Editor taskLoss(TaskLoss l) { taskLoss = l; return this; }
        Editor weightDecay(float w) { weightDecay = w; return this; }
        Editor dropout(float r) { dropout = r; return this; }
        Editor inputNoise(float s) { inputNoise = s; return this; }
        Editor modalityGate(boolean g) { modalityGate = g; return this; }
        Editor unimodalWeight(float w) { unimodalWeight = w; return this; }
        Editor patience(int p) { patience = p; return this; }
        Editor unimodalPretrainEpochs(int e) { unimodalPretrainEpochs = e; return this; }
        Editor selectTeacher(boolean s) { selectTeacher = s; return this; }
        Editor contextWindows(int k) { contextWindows = k; return this; }
        Editor contextDim(int d) { contextDim = d; return this; }
        Editor contextEpochs(int e) { contextEpochs = e; return this; }
        Editor contextNoise(float s) { contextNoise = s; return this; }

        TrainingOptions build() {
            return new TrainingOptions(variant, seed, teacherEpochs, studentEpochs, batchSize, learningRate, modelDim,
                    frfWeight, hmiWeight, halWeight, kdWeight, missingness, taskLoss, weightDecay, dropout, inputNoise,
                    modalityGate, unimodalWeight, patience, unimodalPretrainEpochs, selectTeacher, contextWindows,
                    contextDim, contextEpochs, contextNoise);
        }
    }
}
