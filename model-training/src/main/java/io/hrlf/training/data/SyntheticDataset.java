package io.hrlf.training.data;

import io.hrlf.contract.Modality;
import java.util.Random;

/**
 * Synthetic multimodal sequences with a known latent sentiment, for fast tests and the demo.
 *
 * <p>Per sample: a latent sentiment y ~ U(-3, 3) shared by all modalities, and per modality a
 * nuisance vector u_m (speaker/channel style) unrelated to y. Each step's features are
 * {@code x = s_m * (y/3) * a_m + u_m + noise}, where a_m is a fixed random direction per modality and
 * s_m the modality's signal strength (text strongest, as in real data). The label is y. A model that
 * can use any modality can predict y; how well depends on the strength of what is present.
 */
public final class SyntheticDataset {
    /** Signal strength of text, audio, vision. */
    public static final float[] DEFAULT_STRENGTH = {1.6f, 1.0f, 0.8f};
    public static final float DEFAULT_NOISE = 0.6f;
    public static final float DEFAULT_NUISANCE = 0.8f;

    private SyntheticDataset() {}

    public static MultimodalDataset generate(int samples, int steps, int[] dims, long seed) {
        return generate(samples, steps, dims, DEFAULT_STRENGTH, DEFAULT_NOISE, DEFAULT_NUISANCE, seed);
    }

    /** The fixed direction a_m of each modality: the same for every seed, so every seed is one "world". */
    public static float[][] directions(int[] dims) {
        Random structure = new Random(0x5EED);
        float[][] directions = new float[3][];
        for (Modality m : Modality.ALL) {
            directions[m.ordinal()] = unitVector(structure, dims[m.ordinal()]);
        }
        return directions;
    }

    /** A nuisance (style) vector of one participant and modality, unrelated to the sentiment. */
    public static float[] style(int d, float nuisance, Random random) {
        float[] style = new float[d];
        for (int j = 0; j < d; j++) {
            style[j] = (float) random.nextGaussian() * nuisance;
        }
        return style;
    }

    /**
     * Writes one frame of modality m for sentiment y into {@code out} at {@code offset}: the
     * generative process of this class, also used by the demo's call simulator.
     */
    public static void frame(float[] direction, float strength, float y, float[] style, float noise, Random random,
                             float[] out, int offset) {
        int d = direction.length;
        float scale = strength * (y / 3f) * (float) Math.sqrt(d);
        for (int j = 0; j < d; j++) {
            out[offset + j] = scale * direction[j] + style[j] + (float) random.nextGaussian() * noise;
        }
    }

    public static MultimodalDataset generate(int samples, int steps, int[] dims, float[] strength, float noise,
                                             float nuisance, long seed) {
        float[][] directions = directions(dims);
        Random random = new Random(seed);
        float[][] values = new float[3][];
        float[][] masks = new float[3][];
        for (Modality m : Modality.ALL) {
            values[m.ordinal()] = new float[samples * steps * dims[m.ordinal()]];
            masks[m.ordinal()] = new float[samples * steps];
            java.util.Arrays.fill(masks[m.ordinal()], 1f);
        }
        float[] labels = new float[samples];
        String[] videos = new String[samples];
        for (int n = 0; n < samples; n++) {
            float y = (float) (random.nextDouble() * 6 - 3);
            labels[n] = Math.round(y * 5) / 5f; // MOSI-like label grid, some exact zeros
            videos[n] = "synthetic-" + (n / 10);
            for (Modality m : Modality.ALL) {
                int i = m.ordinal();
                float[] style = style(dims[i], nuisance, random);
                for (int t = 0; t < steps; t++) {
                    frame(directions[i], strength[i], labels[n], style, noise, random, values[i], (n * steps + t) * dims[i]);
                }
            }
        }
        return new MultimodalDataset(steps, dims, values, masks, labels, videos,
                "synthetic: " + samples + " samples, T=" + steps + ", seed " + seed);
    }

    private static float[] unitVector(Random random, int d) {
        float[] v = new float[d];
        double norm = 0;
        for (int j = 0; j < d; j++) {
            v[j] = (float) random.nextGaussian();
            norm += v[j] * v[j];
        }
        for (int j = 0; j < d; j++) {
            v[j] /= (float) Math.sqrt(norm);
        }
        return v;
    }
}
