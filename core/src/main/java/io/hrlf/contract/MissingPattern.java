package io.hrlf.contract;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Which modalities a window (or an evaluation condition) has. Its {@link #code()} is the paper's name
 * of the condition and the {@code missingPattern} field of a score: "l,a,v" complete, "l,v" audio
 * missing, "a" audio only, "" none. Immutable; equal when the same modalities are present.
 *
 * <p>The one mapping between the three ways the system writes a pattern: this value, its code, and
 * the tensor contract's per-modality presence ({@link #presenceFlags()}, or a mask with an observed
 * step, {@link #fromMasks}). The Avro score fields are mapped in the job's {@code wire} package.
 */
public final class MissingPattern {
    /** All three modalities present. */
    public static final MissingPattern FULL = new MissingPattern(EnumSet.allOf(Modality.class));
    /** The six missing conditions of the paper's inter-modality test, in the paper's order. */
    public static final List<MissingPattern> PAPER_MISSING_CONDITIONS = List.of(
            present(Modality.TEXT), present(Modality.AUDIO), present(Modality.VISION),
            present(Modality.TEXT, Modality.AUDIO), present(Modality.TEXT, Modality.VISION),
            present(Modality.AUDIO, Modality.VISION));
    /** {@link #FULL} first, then {@link #PAPER_MISSING_CONDITIONS}: every pattern with a modality. */
    public static final List<MissingPattern> EVERY_NON_EMPTY = everyNonEmpty();

    /** @deprecated the codes of {@link #PAPER_MISSING_CONDITIONS}; kept until model-training migrates. */
    @Deprecated
    public static final List<String> PAPER_CONDITIONS = codes(PAPER_MISSING_CONDITIONS);
    /** @deprecated the code of {@link #FULL}; kept until model-training migrates. */
    @Deprecated
    public static final String COMPLETE = FULL.code();

    private final Set<Modality> present;

    private MissingPattern(EnumSet<Modality> present) {
        this.present = Collections.unmodifiableSet(present);
    }

    public static MissingPattern present(Modality... modalities) {
        EnumSet<Modality> set = EnumSet.noneOf(Modality.class);
        Collections.addAll(set, modalities);
        return new MissingPattern(set);
    }

    public static MissingPattern present(Collection<Modality> modalities) {
        return new MissingPattern(modalities.isEmpty() ? EnumSet.noneOf(Modality.class) : EnumSet.copyOf(modalities));
    }

    /** @param flags flags[m] for each modality in {@link Modality#ALL} order */
    public static MissingPattern fromPresenceFlags(boolean[] flags) {
        if (flags.length != Modality.ALL.size()) {
            throw new IllegalArgumentException("need one flag per modality, got " + flags.length);
        }
        EnumSet<Modality> set = EnumSet.noneOf(Modality.class);
        for (Modality m : Modality.ALL) {
            if (flags[m.ordinal()]) {
                set.add(m);
            }
        }
        return new MissingPattern(set);
    }

    /**
     * From the tensor contract's masks, {@code masks[m]} the T mask entries of modality m in
     * {@link Modality#ALL} order: a modality is present when any of its steps was observed.
     */
    public static MissingPattern fromMasks(float[][] masks) {
        boolean[] flags = new boolean[Modality.ALL.size()];
        for (Modality m : Modality.ALL) {
            for (float step : masks[m.ordinal()]) {
                if (step > 0f) {
                    flags[m.ordinal()] = true;
                    break;
                }
            }
        }
        return fromPresenceFlags(flags);
    }

    /** Inverse of {@link #code()}: "l,v" gives text and vision; fails naming an unknown code. */
    public static MissingPattern parseCode(String code) {
        EnumSet<Modality> set = EnumSet.noneOf(Modality.class);
        if (!code.isBlank()) {
            for (String part : code.split(",")) {
                set.add(Modality.fromCode(part.trim()));
            }
        }
        return new MissingPattern(set);
    }

    public boolean isPresent(Modality modality) {
        return present.contains(modality);
    }

    /** The present modalities, unmodifiable, in {@link Modality#ALL} order. */
    public Set<Modality> presentModalities() {
        return present;
    }

    /** presenceFlags()[m] for each modality in {@link Modality#ALL} order. */
    public boolean[] presenceFlags() {
        boolean[] flags = new boolean[Modality.ALL.size()];
        for (Modality m : present) {
            flags[m.ordinal()] = true;
        }
        return flags;
    }

    /** The paper's name: present modality codes in contract order, comma-separated ("" when none). */
    public String code() {
        StringJoiner joiner = new StringJoiner(",");
        for (Modality m : present) {
            joiner.add(m.code());
        }
        return joiner.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MissingPattern other && present.equals(other.present);
    }

    @Override
    public int hashCode() {
        return present.hashCode();
    }

    @Override
    public String toString() {
        return "MissingPattern{" + code() + '}';
    }

    /** @deprecated use {@link #fromPresenceFlags}{@code (present).code()}; kept until model-training migrates. */
    @Deprecated
    public static String of(boolean[] present) {
        return fromPresenceFlags(present).code();
    }

    /** @deprecated use {@link #parseCode}{@code (pattern).presenceFlags()}; kept until model-training migrates. */
    @Deprecated
    public static boolean[] parse(String pattern) {
        return parseCode(pattern).presenceFlags();
    }

    /** @deprecated the codes of {@link #EVERY_NON_EMPTY}; kept until model-training migrates. */
    @Deprecated
    public static List<String> allNonEmpty() {
        return codes(EVERY_NON_EMPTY);
    }

    private static List<MissingPattern> everyNonEmpty() {
        List<MissingPattern> all = new ArrayList<>();
        all.add(FULL);
        all.addAll(PAPER_MISSING_CONDITIONS);
        return List.copyOf(all);
    }

    private static List<String> codes(List<MissingPattern> patterns) {
        return patterns.stream().map(MissingPattern::code).toList();
    }
}
