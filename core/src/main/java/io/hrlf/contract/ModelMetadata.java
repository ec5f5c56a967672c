package io.hrlf.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
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
 * <p>Format versions: {@value #FORMAT_VERSION} describes a model without context and is what every
 * such model still writes, so that earlier builds keep reading it; {@value #CONTEXT_FORMAT_VERSION}
 * adds {@code context} ({@link ContextSpec}), and an earlier build refuses it by its version instead of
 * serving the model without its context inputs. This build reads both.
 *
 * @param formatVersion version of this metadata layout: {@value #FORMAT_VERSION} without context,
 *     {@value #CONTEXT_FORMAT_VERSION} with it
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
 * @param context what the model reads of the participant's earlier windows; null for a model without context
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
        Map<String, Object> validationMetrics,
        ContextSpec context) {

    /** The layout of a model without context (and of every model before context existed). */
    public static final int FORMAT_VERSION = 1;
    /** The layout of a model with context: {@link #FORMAT_VERSION} plus {@code context}. */
    public static final int CONTEXT_FORMAT_VERSION = 2;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Per-feature mean and standard deviation of one modality. */
    public record Normalization(float[] mean, float[] std) {}

    /** A model without context (format version {@value #FORMAT_VERSION} when {@code formatVersion} says so). */
    public ModelMetadata(int formatVersion, String modelVersion, String variant, long seed, int steps,
                         Map<String, Integer> dimensions, Map<String, Normalization> normalization, String trainingData,
                         String createdAt, Map<String, Object> hyperparameters, Map<String, Object> validationMetrics) {
        this(formatVersion, modelVersion, variant, seed, steps, dimensions, normalization, trainingData, createdAt,
                hyperparameters, validationMetrics, null);
    }

    @JsonCreator
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

    /** This metadata for a model with {@code context}, in format version {@value #CONTEXT_FORMAT_VERSION}. */
    public ModelMetadata withContext(ContextSpec context) {
        Objects.requireNonNull(context, "context");
        return new ModelMetadata(CONTEXT_FORMAT_VERSION, modelVersion, variant, seed, steps, dimensions, normalization,
                trainingData, createdAt, hyperparameters, validationMetrics, context);
    }

    /** Whether the model reads the participant's earlier windows (and returns a representation to remember). */
    @JsonIgnore
    public boolean hasContext() {
        return context != null;
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
            metadata.requireConsistentVersion(file);
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

    private void requireConsistentVersion(Path file) {
        if (formatVersion != FORMAT_VERSION && formatVersion != CONTEXT_FORMAT_VERSION) {
            throw new ModelContractException("model metadata " + file + " has format version " + formatVersion
                    + ", this build reads versions " + FORMAT_VERSION + " and " + CONTEXT_FORMAT_VERSION);
        }
        if (formatVersion == CONTEXT_FORMAT_VERSION && context == null) {
            throw new ModelContractException("model metadata " + file + " has format version " + formatVersion
                    + " but no 'context' (K, d_c and the names of its inputs and output)");
        }
        if (formatVersion == FORMAT_VERSION && context != null) {
            // a build before context would ignore the key and serve the model without its context inputs
            throw new ModelContractException("model metadata " + file + " declares 'context' under format version "
                    + FORMAT_VERSION + "; a model with context must say format version " + CONTEXT_FORMAT_VERSION);
        }
        if (context != null && !context.problems().isEmpty()) {
            throw new ModelContractException("model metadata " + file + ": " + String.join("; ", context.problems()));
        }
    }

    public static ObjectMapper json() {
        return JSON;
    }
}
