package io.hrlf.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What a model with conversational context declares in its metadata (key {@code "context"}): it
 * reads the representations of the participant's previous {@code windows} (K) windows, each of
 * {@code dimension} (d_c) floats, through two extra inputs, and returns the representation of the
 * window it scored, to be remembered for the participant's next windows.
 *
 * <pre>
 *   contextInput          float32 [B, K, d_c]  earlier windows' representations, oldest first,
 *                                              the newest in slot K-1; unused (leading) slots zero
 *   contextMaskInput      float32 [B, K]       1 = slot holds a representation, 0 = empty
 *   representationOutput  float32 [B, d_c]     this window's representation
 * </pre>
 *
 * @param windows K, the number of earlier windows a window is scored with (at least 1)
 * @param dimension d_c, the length of one representation (at least 1)
 * @param contextInput name of the [B, K, d_c] input in the serving signature
 * @param contextMaskInput name of the [B, K] input in the serving signature
 * @param representationOutput name of the [B, d_c] output in the serving signature
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContextSpec(int windows, int dimension, String contextInput, String contextMaskInput,
                          String representationOutput) implements Serializable {

    /** The contract's default names ({@link TensorContract#CONTEXT_INPUT} and the others). */
    public static ContextSpec of(int windows, int dimension) {
        return new ContextSpec(windows, dimension, TensorContract.CONTEXT_INPUT, TensorContract.CONTEXT_MASK_INPUT,
                TensorContract.REPRESENTATION_OUTPUT);
    }

    /** What is wrong with this declaration (empty when nothing is), so a reader can name every problem at once. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (windows <= 0) {
            problems.add("context.windows (K) must be positive, is " + windows);
        }
        if (dimension <= 0) {
            problems.add("context.dimension (d_c) must be positive, is " + dimension);
        }
        List<String> names = new ArrayList<>();
        for (String name : new String[] {contextInput, contextMaskInput, representationOutput}) {
            if (name == null || name.isBlank()) {
                problems.add("context names its inputs and output (contextInput, contextMaskInput, "
                        + "representationOutput), one is missing: " + this);
                return problems;
            }
            names.add(name);
        }
        for (Modality m : Modality.ALL) {
            if (names.contains(m.inputName()) || names.contains(m.maskName())) {
                problems.add("context names clash with the modality inputs: " + names);
            }
        }
        if (names.stream().distinct().count() != names.size() || names.contains(TensorContract.SCORE_OUTPUT)) {
            problems.add("context names must be distinct and not '" + TensorContract.SCORE_OUTPUT + "': " + names);
        }
        return problems;
    }
}
