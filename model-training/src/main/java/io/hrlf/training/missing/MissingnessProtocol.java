package io.hrlf.training.missing;

import io.hrlf.contract.Modality;
import java.util.Random;

/**
 * The missingness protocol (the paper's MSM): intra-modality frame dropping and inter-modality
 * dropping of whole modalities. A missing step becomes a zero vector with mask 0, exactly what the
 * stream produces for a silent modality. Training samples it; evaluation uses its two fixed forms.
 */
public final class MissingnessProtocol {
    private final MissingnessOptions options;

    public MissingnessProtocol(MissingnessOptions options) {
        this.options = options;
    }

    public static MissingnessProtocol trainingDefault() {
        return new MissingnessProtocol(MissingnessOptions.TRAINING_DEFAULT);
    }

    public MissingnessOptions options() {
        return options;
    }

    /** Samples missingness for rows [0, batch) in place. */
    public void applyInPlace(float[][] values, float[][] masks, int batch, int steps, int[] dims, Random rng) {
        for (int row = 0; row < batch; row++) {
            applyToRow(values, masks, row, steps, dims, rng);
        }
    }

    /** Samples missingness for one row in place: whole modalities dropped, then frames of the kept ones. */
    public void applyToRow(float[][] values, float[][] masks, int row, int steps, int[] dims, Random rng) {
        boolean[] keep = new boolean[3];
        int kept = 0;
        for (Modality m : Modality.ALL) {
            keep[m.ordinal()] = rng.nextDouble() >= options.modalityDropProbability();
            kept += keep[m.ordinal()] ? 1 : 0;
        }
        if (kept == 0 && options.keepAtLeastOne()) {
            keep[rng.nextInt(3)] = true;
        }
        for (Modality m : Modality.ALL) {
            int i = m.ordinal();
            double rate = keep[i] ? rng.nextDouble() * options.maxFrameDropRate() : 1.0;
            for (int t = 0; t < steps; t++) {
                if (!keep[i] || rng.nextDouble() < rate) {
                    dropStep(values[i], masks[i], row, t, steps, dims[i]);
                }
            }
        }
    }

    /** Inter-modality condition: drops every step of the modalities not in {@code keep}. */
    public static void dropModalities(float[][] values, float[][] masks, int batch, int steps, int[] dims,
                                      boolean[] keep) {
        for (Modality m : Modality.ALL) {
            if (keep[m.ordinal()]) {
                continue;
            }
            for (int row = 0; row < batch; row++) {
                for (int t = 0; t < steps; t++) {
                    dropStep(values[m.ordinal()], masks[m.ordinal()], row, t, steps, dims[m.ordinal()]);
                }
            }
        }
    }

    /** The inter-modality condition on the rows marked in {@code rows} only. */
    public static void dropModalities(float[][] values, float[][] masks, boolean[] rows, int steps, int[] dims,
                                      boolean[] keep) {
        for (Modality m : Modality.ALL) {
            if (keep[m.ordinal()]) {
                continue;
            }
            for (int row = 0; row < rows.length; row++) {
                for (int t = 0; rows[row] && t < steps; t++) {
                    dropStep(values[m.ordinal()], masks[m.ordinal()], row, t, steps, dims[m.ordinal()]);
                }
            }
        }
    }

    /** Intra-modality condition: drops each step of each modality independently with {@code rate}. */
    public static void dropFrames(float[][] values, float[][] masks, int batch, int steps, int[] dims, double rate,
                                  Random rng) {
        for (Modality m : Modality.ALL) {
            for (int row = 0; row < batch; row++) {
                for (int t = 0; t < steps; t++) {
                    if (rng.nextDouble() < rate) {
                        dropStep(values[m.ordinal()], masks[m.ordinal()], row, t, steps, dims[m.ordinal()]);
                    }
                }
            }
        }
    }

    private static void dropStep(float[] values, float[] masks, int row, int t, int steps, int d) {
        masks[row * steps + t] = 0f;
        java.util.Arrays.fill(values, (row * steps + t) * d, (row * steps + t + 1) * d, 0f);
    }
}
