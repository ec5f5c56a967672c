package io.hrlf.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a SavedModel directory holds, written beside it as {@link TensorContract#METADATA_FILE}.
 * Serving reads it to size its tensors and refuses a model whose steps or dimensions do not match
 * the job's configuration.
 *
 * @param formatVersion version of this metadata layout (currently 1)
 * @param modelVersion free-form model version, copied into every score
 * @param variant the training variant (full, no-frf, dropout, plain, ...)
 * @param seed training seed
 * @param steps T, the number of time steps per window
 * @param dimensions d_m per modality, keyed by {@link Modality#inputName()}
 * @param normalization per-modality feature mean/std fitted on the training split; the exported graph
 *     already applies it, it is recorded for transparency (may be empty)
 * @param trainingData description of the data the model was trained on
 * @param createdAt ISO-8601 time of export
 * @param hyperparameters the training options, for reproducibility
 * @param validationMetrics metrics on the validation split, by condition
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelMetadata(
        int formatVersion,
        String modelVersion,
        String variant,
        long seed,
        int steps,
        Map<String, Integer> dimensions,
        Map<String, Normalization> normalization,
        String trainingData,
        String createdAt,
        Map<String, Object> hyperparameters,
        Map<String, Object> validationMetrics) {

    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Per-feature mean and standard deviation of one modality. */
    public record Normalization(float[] mean, float[] std) {}

    public ModelMetadata {
        Objects.requireNonNull(modelVersion, "modelVersion");
        Objects.requireNonNull(dimensions, "dimensions");
        dimensions = Map.copyOf(dimensions);
        normalization = normalization == null ? Map.of() : Map.copyOf(normalization);
        hyperparameters = hyperparameters == null ? Map.of() : new LinkedHashMap<>(hyperparameters);
        validationMetrics = validationMetrics == null ? Map.of() : new LinkedHashMap<>(validationMetrics);
    }

    /** d_m of one modality; fails clearly when the metadata does not name it. */
    public int dimension(Modality modality) {
        Integer d = dimensions.get(modality.inputName());
        if (d == null || d <= 0) {
            throw new ModelContractException("model metadata has no positive dimension for '"
                    + modality.inputName() + "': " + dimensions);
        }
        return d;
    }

    public int[] dimensionsInOrder() {
        int[] dims = new int[Modality.ALL.size()];
        for (Modality m : Modality.ALL) {
            dims[m.ordinal()] = dimension(m);
        }
        return dims;
    }

    /**
     * Refuses a model whose T or d_m differ from what the caller was configured for.
     *
     * @param expectedSteps the configured T, or a value <= 0 to accept the model's
     * @param expectedDims configured d_m in {@link Modality#ALL} order; null or a value <= 0 to accept the model's
     */
    public void requireCompatible(Path where, int expectedSteps, int[] expectedDims) {
        StringBuilder problems = new StringBuilder();
        if (expectedSteps > 0 && expectedSteps != steps) {
            problems.append(" steps: model has T=").append(steps).append(", configured T=").append(expectedSteps).append(';');
        }
        for (Modality m : Modality.ALL) {
            int have = dimension(m);
            int want = expectedDims == null ? 0 : expectedDims[m.ordinal()];
            if (want > 0 && want != have) {
                problems.append(' ').append(m.inputName()).append(": model has d=").append(have)
                        .append(", configured d=").append(want).append(';');
            }
        }
        if (!problems.isEmpty()) {
            throw new ModelContractException("model at " + where + " does not match the configuration:" + problems);
        }
    }

    public static Path file(Path modelDir) {
        return modelDir.resolve(TensorContract.METADATA_FILE);
    }

    public void write(Path modelDir) throws IOException {
        Files.createDirectories(modelDir);
        JSON.writeValue(file(modelDir).toFile(), this);
    }

    public static ModelMetadata read(Path modelDir) {
        Path file = file(modelDir);
        try {
            ModelMetadata metadata = JSON.readValue(Files.readAllBytes(file), ModelMetadata.class);
            if (metadata.formatVersion() != FORMAT_VERSION) {
                throw new ModelContractException("model metadata " + file + " has format version "
                        + metadata.formatVersion() + ", this build reads version " + FORMAT_VERSION);
            }
            if (metadata.steps() <= 0) {
                throw new ModelContractException("model metadata " + file + " has no positive 'steps' (T)");
            }
            metadata.dimensionsInOrder();
            return metadata;
        } catch (NoSuchFileException e) {
            throw new ModelContractException("no model metadata at " + file
                    + ": a model directory must hold the SavedModel and " + TensorContract.METADATA_FILE, e);
        } catch (IOException e) {
            throw new ModelContractException("cannot read model metadata " + file + ": " + e.getMessage(), e);
        }
    }

    public static ObjectMapper json() {
        return JSON;
    }
}
