package io.hrlf.training.cli;

import io.hrlf.training.missing.MissingnessOptions;
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

    /** Applies what was given on the command line; explicit weights win over --paper-weights. */
    TrainingOptions apply(TrainingOptions options) {
        TrainingOptions out = epochs == null ? options : options.withEpochs(epochs);
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
