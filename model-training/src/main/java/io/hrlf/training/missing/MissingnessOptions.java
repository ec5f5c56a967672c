package io.hrlf.training.missing;

/**
 * The training-time distribution of missingness (the paper's MSM leaves it open; these are our
 * choices, all configurable):
 *
 * @param modalityDropProbability each modality of a sample is dropped whole with this probability,
 *     independently (inter-modality missingness)
 * @param maxFrameDropRate each sample and modality draws a frame-drop rate p ~ U(0, max) and drops
 *     each step with probability p (intra-modality missingness)
 * @param keepAtLeastOne never drop every modality of a sample (a window with nothing is not scored
 *     in serving either)
 */
public record MissingnessOptions(double modalityDropProbability, double maxFrameDropRate, boolean keepAtLeastOne) {
    public static final MissingnessOptions TRAINING_DEFAULT = new MissingnessOptions(0.4, 0.5, true);
    public static final MissingnessOptions NONE = new MissingnessOptions(0, 0, true);
}
