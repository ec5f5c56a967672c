package io.hrlf.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Which modalities a window (or an evaluation condition) has, written as the paper writes the
 * conditions: "l,a,v" for complete, "l,v" for audio missing, "a" for audio only, "" for none.
 */
public final class MissingPattern {
    /** The six missing conditions of the paper's inter-modality test, then the complete one. */
    public static final List<String> PAPER_CONDITIONS = List.of("l", "a", "v", "l,a", "l,v", "a,v");
    public static final String COMPLETE = "l,a,v";

    private MissingPattern() {}

    /** @param present present[m] for each modality in {@link Modality#ALL} order */
    public static String of(boolean[] present) {
        if (present.length != Modality.ALL.size()) {
            throw new IllegalArgumentException("need one flag per modality, got " + present.length);
        }
        StringJoiner joiner = new StringJoiner(",");
        for (Modality m : Modality.ALL) {
            if (present[m.ordinal()]) {
                joiner.add(m.code());
            }
        }
        return joiner.toString();
    }

    /** Inverse of {@link #of}: "l,v" gives {true, false, true}. */
    public static boolean[] parse(String pattern) {
        boolean[] present = new boolean[Modality.ALL.size()];
        if (pattern.isBlank()) {
            return present;
        }
        for (String code : pattern.split(",")) {
            present[Modality.fromCode(code.trim()).ordinal()] = true;
        }
        return present;
    }

    /** Every non-empty pattern, complete first. */
    public static List<String> allNonEmpty() {
        List<String> all = new ArrayList<>();
        all.add(COMPLETE);
        all.addAll(PAPER_CONDITIONS);
        return all;
    }
}
