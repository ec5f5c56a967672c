package io.hrlf.contract;

/**
 * Names fixed by the tensor contract between {@code model-training} and {@code flink-job} (see
 * docs/ARCHITECTURE.md in the repository, "The tensor contract"). The SavedModel's
 * {@code serving_default} signature takes, per modality m, {@code m} float32 [B, T, d_m] and
 * {@code m_mask} float32 [B, T] (1 observed, 0 missing; missing steps are zero vectors), and returns
 * {@code score} float32 [B] in [-3, 3].
 *
 * <p>A model with conversational context (metadata format version
 * {@link ModelMetadata#CONTEXT_FORMAT_VERSION}, key {@code context}, see {@link ContextSpec}) also takes
 * the participant's previous K windows' representations and returns the scored window's own; the
 * names below are the defaults, the metadata states the ones the model uses.
 */
public final class TensorContract {
    public static final String SERVING_SIGNATURE = "serving_default";
    public static final String SERVING_TAG = "serve";
    public static final String SCORE_OUTPUT = "score";
    /** Default name of the [B, K, d_c] input of a model with context. */
    public static final String CONTEXT_INPUT = "context";
    /** Default name of the [B, K] input of a model with context: 1 = slot filled. */
    public static final String CONTEXT_MASK_INPUT = "context_mask";
    /** Default name of the [B, d_c] output of a model with context: the window's representation. */
    public static final String REPRESENTATION_OUTPUT = "representation";
    /** File beside the SavedModel that describes it; serving refuses a model without it. */
    public static final String METADATA_FILE = "hrlf-model.json";
    /** Sentiment intensity range of CMU-MOSI labels and of the score output. */
    public static final float SCORE_MIN = -3f;
    public static final float SCORE_MAX = 3f;

    private TensorContract() {}
}
