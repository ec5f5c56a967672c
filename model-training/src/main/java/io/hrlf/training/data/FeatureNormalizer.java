package io.hrlf.training.data;

import io.hrlf.contract.Modality;
import io.hrlf.contract.ModelMetadata;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-feature mean and standard deviation of each modality, fitted on the observed steps of the
 * training split only. The model applies them inside its graph (so the exported SavedModel takes raw
 * features); they are also written to the model's metadata.
 */
public final class FeatureNormalizer {
    /** Features with a smaller spread are only centred, not scaled up into noise. */
    static final float MIN_STD = 1e-3f;

    private final float[][] mean;
    private final float[][] std;

    private FeatureNormalizer(float[][] mean, float[][] std) {
        this.mean = mean;
        this.std = std;
    }

    public static FeatureNormalizer fit(MultimodalDataset train) {
        float[][] mean = new float[3][];
        float[][] std = new float[3][];
        for (Modality m : Modality.ALL) {
            int d = train.dim(m);
            double[] sum = new double[d];
            double[] sumSq = new double[d];
            long observed = 0;
            float[] values = train.values(m);
            float[] masks = train.masks(m);
            for (int step = 0; step < masks.length; step++) {
                if (masks[step] == 0f) {
                    continue;
                }
                observed++;
                for (int j = 0; j < d; j++) {
                    double v = values[step * d + j];
                    sum[j] += v;
                    sumSq[j] += v * v;
                }
            }
            mean[m.ordinal()] = new float[d];
            std[m.ordinal()] = new float[d];
            for (int j = 0; j < d; j++) {
                double mu = observed == 0 ? 0 : sum[j] / observed;
                double var = observed == 0 ? 1 : Math.max(0, sumSq[j] / observed - mu * mu);
                mean[m.ordinal()][j] = (float) mu;
                std[m.ordinal()][j] = (float) Math.max(MIN_STD, Math.sqrt(var));
            }
        }
        return new FeatureNormalizer(mean, std);
    }

    public static FeatureNormalizer fromMetadata(Map<String, ModelMetadata.Normalization> stored, int[] dims) {
        float[][] mean = new float[3][];
        float[][] std = new float[3][];
        for (Modality m : Modality.ALL) {
            ModelMetadata.Normalization n = stored.get(m.inputName());
            mean[m.ordinal()] = n == null ? new float[dims[m.ordinal()]] : n.mean();
            std[m.ordinal()] = n == null ? filled(dims[m.ordinal()], 1f) : n.std();
        }
        return new FeatureNormalizer(mean, std);
    }

    private static float[] filled(int n, float value) {
        float[] out = new float[n];
        java.util.Arrays.fill(out, value);
        return out;
    }

    public float[] mean(Modality m) {
        return mean[m.ordinal()];
    }

    public float[] std(Modality m) {
        return std[m.ordinal()];
    }

    public Map<String, ModelMetadata.Normalization> asMetadata() {
        Map<String, ModelMetadata.Normalization> out = new LinkedHashMap<>();
        for (Modality m : Modality.ALL) {
            out.put(m.inputName(), new ModelMetadata.Normalization(mean[m.ordinal()], std[m.ordinal()]));
        }
        return out;
    }
}
