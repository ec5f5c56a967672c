package io.hrlf.model;

import io.hrlf.contract.ContextSpec;
import io.hrlf.contract.Modality;
import io.hrlf.contract.ModelContractException;
import io.hrlf.contract.ModelMetadata;
import io.hrlf.contract.TensorContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * The HRLF student as a native resource: a loaded SavedModel plus its metadata. This is the one
 * serving path, used by the Flink scorer and by evaluation of exported models.
 *
 * <p>Owns native memory: close it (or let {@link SharedModels} do it). {@link #predict} is
 * thread-safe because TensorFlow sessions are.
 */
public final class SentimentModel implements AutoCloseable {
    private final Path directory;
    private final ModelMetadata metadata;
    private final SavedModelBundle bundle;
    private final SessionFunction servingFunction;
    private final int steps;
    private final int[] dims;

    private SentimentModel(Path directory, ModelMetadata metadata, SavedModelBundle bundle, SessionFunction function) {
        this.directory = directory;
        this.metadata = metadata;
        this.bundle = bundle;
        this.servingFunction = function;
        this.steps = metadata.steps();
        this.dims = metadata.dimensionsInOrder();
    }

    /** Loads a model directory, accepting whatever T and dimensions its metadata states. */
    public static SentimentModel load(Path directory) {
        return load(directory, 0, null, ComputeDevice.CPU);
    }

    /**
     * Loads a model directory and refuses it, with a message saying what is wrong and where, when it
     * is missing, unreadable, lacks the contract's signature, or does not match the configured T and
     * dimensions ({@code expectedSteps <= 0} / {@code expectedDims == null} accept the model's).
     */
    public static SentimentModel load(Path directory, int expectedSteps, int[] expectedDims) {
        return load(directory, expectedSteps, expectedDims, ComputeDevice.CPU);
    }

    /** As {@link #load(Path, int, int[])}, with the session placed on {@code device}. */
    public static SentimentModel load(Path directory, int expectedSteps, int[] expectedDims, ComputeDevice device) {
        Path dir = directory.toAbsolutePath();
        if (!Files.isDirectory(dir)) {
            throw new ModelContractException("model directory " + dir + " does not exist");
        }
        ModelMetadata metadata = ModelMetadata.read(dir);
        metadata.requireCompatible(dir, expectedSteps, expectedDims);
        if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
            throw new ModelContractException("no saved_model.pb in " + dir + ": not a TensorFlow SavedModel");
        }
        SavedModelBundle bundle;
        try {
            SavedModelBundle.Loader loader = SavedModelBundle.loader(dir.toString()).withTags(TensorContract.SERVING_TAG);
            ConfigProto sessionConfig = device.sessionConfig();
            bundle = (sessionConfig == null ? loader : loader.withConfigProto(sessionConfig)).load();
        } catch (RuntimeException e) {
            throw new ModelContractException("cannot load the SavedModel at " + dir + ": " + e.getMessage(), e);
        }
        try {
            SessionFunction function = bundle.function(TensorContract.SERVING_SIGNATURE);
            checkSignature(dir, function.signature(), metadata);
            return new SentimentModel(dir, metadata, bundle, function);
        } catch (RuntimeException e) {
            bundle.close();
            if (e instanceof ModelContractException) {
                throw e;
            }
            throw new ModelContractException("SavedModel at " + dir + " has no usable '"
                    + TensorContract.SERVING_SIGNATURE + "' signature: " + e.getMessage(), e);
        }
    }

    private static void checkSignature(Path dir, Signature signature, ModelMetadata metadata) {
        List<String> problems = new ArrayList<>();
        Map<String, Signature.TensorDescription> inputs = signature.getInputs();
        for (Modality m : Modality.ALL) {
            int d = metadata.dimension(m);
            checkShape(problems, inputs.get(m.inputName()), m.inputName(), new long[] {-1, metadata.steps(), d});
            checkShape(problems, inputs.get(m.maskName()), m.maskName(), new long[] {-1, metadata.steps()});
        }
        if (!signature.getOutputs().containsKey(TensorContract.SCORE_OUTPUT)) {
            problems.add("no output '" + TensorContract.SCORE_OUTPUT + "' (outputs: " + signature.outputNames() + ")");
        }
        ContextSpec context = metadata.context();
        if (context != null) {
            checkShape(problems, inputs.get(context.contextInput()), context.contextInput(),
                    new long[] {-1, context.windows(), context.dimension()});
            checkShape(problems, inputs.get(context.contextMaskInput()), context.contextMaskInput(),
                    new long[] {-1, context.windows()});
            Signature.TensorDescription representation = signature.getOutputs().get(context.representationOutput());
            if (representation == null) {
                problems.add("no output '" + context.representationOutput() + "' (the window's representation the "
                        + "metadata's context names; outputs: " + signature.outputNames() + ")");
            } else {
                checkShape(problems, representation, context.representationOutput(), new long[] {-1, context.dimension()});
            }
        } else if (inputs.size() != 2 * Modality.ALL.size()) {
            // a context model exported with format-1 metadata would otherwise fail on every call, not at load
            problems.add("inputs " + inputs.keySet() + " beyond the modalities' but the metadata declares no context");
        }
        if (!problems.isEmpty()) {
            throw new ModelContractException("SavedModel at " + dir + " breaks the tensor contract: "
                    + String.join("; ", problems));
        }
    }

    private static void checkShape(List<String> problems, Signature.TensorDescription input, String name, long[] expected) {
        if (input == null) {
            problems.add("no input '" + name + "'");
            return;
        }
        Shape shape = input.shape;
        if (shape.isUnknown()) {
            return;
        }
        if (shape.numDimensions() != expected.length) {
            problems.add("'" + name + "' has shape " + shape + ", expected rank " + expected.length);
            return;
        }
        for (int i = 1; i < expected.length; i++) {
            long have = shape.size(i);
            if (have >= 0 && have != expected[i]) {
                problems.add("'" + name + "' has shape " + shape + ", metadata implies " + Shape.of(expected));
                return;
            }
        }
    }

    public ModelMetadata metadata() {
        return metadata;
    }

    public Path directory() {
        return directory;
    }

    /** Whether the model reads the participant's earlier windows ({@link #predict(ModelInput, ContextBatch)}). */
    public boolean hasContext() {
        return metadata.hasContext();
    }

    /** K, d_c and the names of the context inputs and output; empty for a model without context. */
    public Optional<ContextSpec> context() {
        return Optional.ofNullable(metadata.context());
    }

    /**
     * Scores every row of the batch of a model without context: sentiment in [-3, 3] as the model
     * outputs it. A model with context refuses: it must be given each row's context.
     */
    public float[] predict(ModelInput input) {
        if (hasContext()) {
            throw new IllegalStateException("model at " + directory + " reads context (K=" + metadata.context().windows()
                    + "); score it with predict(input, context)");
        }
        requireShape(input);
        Map<String, Tensor> feeds = input.toFeeds();
        try (Result result = call(feeds)) {
            return scores(result, input.batchSize());
        }
    }

    /**
     * Scores every row of the batch of a model with context, each with its row of {@code context}, and
     * returns the scores and each row's representation to remember.
     */
    public ContextScores predict(ModelInput input, ContextBatch context) {
        ContextSpec spec = metadata.context();
        if (spec == null) {
            throw new IllegalStateException("model at " + directory + " has no context; score it with predict(input)");
        }
        requireShape(input);
        if (context.batchSize() != input.batchSize() || context.windows() != spec.windows()
                || context.dimension() != spec.dimension()) {
            throw new IllegalArgumentException("context is [" + context.batchSize() + ", " + context.windows() + ", "
                    + context.dimension() + "], model expects [" + input.batchSize() + ", " + spec.windows() + ", "
                    + spec.dimension() + "]");
        }
        int batch = input.batchSize();
        Map<String, Tensor> feeds = input.toFeeds();
        try {
            feeds.put(spec.contextInput(), context.valuesTensor());
            feeds.put(spec.contextMaskInput(), context.maskTensor());
        } catch (RuntimeException e) {
            feeds.values().forEach(Tensor::close);
            throw e;
        }
        try (Result result = call(feeds)) {
            float[] scores = scores(result, batch);
            TFloat32 representation = (TFloat32) result.get(spec.representationOutput()).orElseThrow(() ->
                    new IllegalStateException("model returned no '" + spec.representationOutput() + "'"));
            if (representation.size() != (long) batch * spec.dimension()) {
                throw new IllegalStateException("model returned " + representation.size() + " representation values "
                        + "for a batch of " + batch + " x d_c=" + spec.dimension());
            }
            float[] representations = new float[batch * spec.dimension()];
            representation.copyTo(DataBuffers.of(representations, false, false));
            return new ContextScores(scores, representations, spec.dimension());
        }
    }

    /** Runs the serving function and closes the feeds; the caller closes the result. */
    private Result call(Map<String, Tensor> feeds) {
        try {
            return servingFunction.call(feeds);
        } finally {
            for (Tensor t : feeds.values()) {
                t.close();
            }
        }
    }

    private static float[] scores(Result result, int batch) {
        TFloat32 scores = (TFloat32) result.get(TensorContract.SCORE_OUTPUT)
                .orElseThrow(() -> new IllegalStateException("model returned no '" + TensorContract.SCORE_OUTPUT + "'"));
        if (scores.size() != batch) {
            throw new IllegalStateException("model returned " + scores.size() + " scores for a batch of " + batch);
        }
        float[] out = new float[batch];
        scores.copyTo(DataBuffers.of(out, false, false));
        return out;
    }

    private void requireShape(ModelInput input) {
        if (input.steps() != steps) {
            throw new IllegalArgumentException("batch has T=" + input.steps() + ", model expects T=" + steps);
        }
        for (Modality m : Modality.ALL) {
            if (input.dim(m) != dims[m.ordinal()]) {
                throw new IllegalArgumentException("batch has " + m.inputName() + " d=" + input.dim(m)
                        + ", model expects d=" + dims[m.ordinal()]);
            }
        }
    }

    @Override
    public void close() {
        bundle.close();
    }
}
