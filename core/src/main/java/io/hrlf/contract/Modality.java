package io.hrlf.contract;

import java.util.List;

/**
 * The three modalities, in the fixed order the model, the metrics and the missing-pattern names use.
 *
 * <p>{@link #code()} is the paper's one-letter name ("l", "a", "v"); {@link #inputName()} is the
 * name of the modality's input in the SavedModel's {@code serving_default} signature.
 */
public enum Modality {
    TEXT("l", "text"),
    AUDIO("a", "audio"),
    VISION("v", "vision");

    /** All modalities in contract order (text, audio, vision). */
    public static final List<Modality> ALL = List.of(values());

    private final String code;
    private final String inputName;

    Modality(String code, String inputName) {
        this.code = code;
        this.inputName = inputName;
    }

    public String code() {
        return code;
    }

    /** Name of the feature input in the serving signature, e.g. {@code text}. */
    public String inputName() {
        return inputName;
    }

    /** Name of the mask input in the serving signature, e.g. {@code text_mask}. */
    public String maskName() {
        return inputName + "_mask";
    }

    public static Modality fromCode(String code) {
        for (Modality m : values()) {
            if (m.code.equals(code)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown modality code '" + code + "', expected one of l, a, v");
    }
}
