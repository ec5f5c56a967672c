package io.hrlf.training.cli;

import io.hrlf.training.missing.MissingnessOptions;
import io.hrlf.training.train.TaskLoss;
import io.hrlf.training.train.TrainingOptions;
import picocli.CommandLine.Option;

/** The knobs a tuning run turns: epochs, loss weights, width and training missingness (defaults in TrainingOptions). */
final class TuningMixin {
    @Option(names = "--epochs", description = "Epochs of teacher and of student (defaults: 30 and 40)")
    Integer epochs;
    @Option(names = "--paper-weights", description = "Use the paper's unweighted loss sum (all weights 1)")
    boolean paperWeights;
    @Option(names = "--frf-weight", description = "Weight of L_FRF (default 0.1)")
    Float frfWeight;
    @Option(names = "--hmi-weight", description = "Weight of L_HMI (default 0.1)")
    Float hmiWeight;
    @Option(names = "--hal-weight", description = "Weight of L_HAL (default 0.05)")
    Float halWeight;
    @Option(names = "--kd-weight", description = "Weight of the distillation loss (default 1)")
    Float kdWeight;
    @Option(names = "--modality-drop", description = "Training-time probability of dropping each whole modality (default 0.4)")
    Double modalityDrop;
    @Option(names = "--max-frame-drop", description = "Training-time frame-drop rate is drawn from U(0, this) (default 0.5)")
    Double maxFrameDrop;
    @Option(names = "--dim", description = "Model width d (default 40; Q_m and U_m get d/2 each)")
    Integer dim;
    @Option(names = "--task-loss", description = "MSE or L1 (default MSE)")
    TaskLoss taskLoss;
    @Option(names = "--weight-decay", description = "L2 penalty on every weight matrix (default 0)")
    Float weightDecay;
    @Option(names = "--dropout", description = "Training dropout rate on the modality codes and fusion layers (default 0)")
    Float dropout;
    @Option(names = "--input-noise", description = "Training Gaussian noise on the normalised features, in std units (default 0)")
    Float inputNoise;
    @Option(names = "--modality-gate", negatable = true,
            description = "Fuse with a learned per-sample weighting of the present modalities (default off)")
    Boolean modalityGate;
    @Option(names = "--unimodal-weight", description = "Weight of per-modality heads' task loss on each present "
            + "modality's sentiment code (MoMKE-style unimodal experts; default 0: off)")
    Float unimodalWeight;
    @Option(names = "--patience", description = "With --dev: stop the student after this many epochs without a better "
            + "dev MAE (default 0: never)")
    Integer patience;
    @Option(names = "--unimodal-pretrain-epochs", description = "Epochs in which each modality's encoder and own head "
            + "learn the task alone before the student trains (MoMKE's first stage; default 0: none)")
    Integer unimodalPretrainEpochs;
    @Option(names = "--select-teacher", negatable = true, description = "With --dev: keep the teacher epoch with the "
            + "lowest dev MAE on complete inputs; --no-select-teacher keeps the last one (default on)")
    Boolean selectTeacher;
    @Option(names = "--context", paramLabel = "K", description = "Score each window with the representations of the "
            + "participant's K earlier windows (conversational context; default 0: every window alone)")
    Integer contextWindows;
    @Option(names = "--context-dim", description = "Length d_c of the representation a window leaves for its "
            + "successors, with --context (default 16)")
    Integer contextDim;
    @Option(names = "--context-epochs", description = "Epochs of the context stage, which trains only the context "
            + "heads after the rest of the model, with --context (default 100)")
    Integer contextEpochs;
    @Option(names = "--context-noise", paramLabel = "SIGMA", description = "Standard deviation of Gaussian noise on "
            + "the normalised features during the context stage only, in place of --input-noise there, with --context "
            + "(default 0: the stage keeps --input-noise; see the README before raising it)")
    Float contextNoise;
    @Option(names = "--teacher-epochs", description = "Epochs of the teacher alone (overrides --epochs)")
    Integer teacherEpochs;
    @Option(names = "--student-epochs", description = "Epochs of the student alone (overrides --epochs)")
    Integer studentEpochs;

    /** Applies what was given on the command line; explicit weights win over --paper-weights. */
    TrainingOptions apply(TrainingOptions options) {
        TrainingOptions out = epochs == null ? options : options.withEpochs(epochs);
        out = out.withEpochs(teacherEpochs == null ? out.teacherEpochs() : teacherEpochs,
                studentEpochs == null ? out.studentEpochs() : studentEpochs);
        if (taskLoss != null) {
            out = out.withTaskLoss(taskLoss);
        }
        out = out.withRegularisation(weightDecay == null ? out.weightDecay() : weightDecay,
                dropout == null ? out.dropout() : dropout, inputNoise == null ? out.inputNoise() : inputNoise);
        if (modalityGate != null) {
            out = out.withModalityGate(modalityGate);
        }
        if (unimodalWeight != null) {
            out = out.withUnimodalWeight(unimodalWeight);
        }
        if (unimodalPretrainEpochs != null) {
            out = out.withUnimodalPretrainEpochs(unimodalPretrainEpochs);
        }
        if (selectTeacher != null) {
            out = out.withSelectTeacher(selectTeacher);
        }
        if (contextWindows != null || contextDim != null) {
            out = out.withContext(contextWindows == null ? out.contextWindows() : contextWindows,
                    contextDim == null ? out.contextDim() : contextDim);
        }
        if (contextEpochs != null) {
            out = out.withContextEpochs(contextEpochs);
        }
        if (contextNoise != null) {
            out = out.withContextNoise(contextNoise);
        }
        if (patience != null) {
            out = out.withPatience(patience);
        }
        if (paperWeights) {
            out = out.paperWeights();
        }
        if (dim != null) {
            out = out.withModelDim(dim);
        }
        MissingnessOptions msm = out.missingness();
        out = out.withMissingness(new MissingnessOptions(modalityDrop == null ? msm.modalityDropProbability() : modalityDrop,
                maxFrameDrop == null ? msm.maxFrameDropRate() : maxFrameDrop, msm.keepAtLeastOne()));
        return out.withWeights(frfWeight == null ? out.frfWeight() : frfWeight,
                hmiWeight == null ? out.hmiWeight() : hmiWeight,
                halWeight == null ? out.halWeight() : halWeight,
                kdWeight == null ? out.kdWeight() : kdWeight);
    }
}
