package io.hrlf.window;

import io.hrlf.binning.BinAccumulator;
import io.hrlf.contract.Modality;
import java.util.Arrays;
import java.util.Objects;

/**
 * The state of one open window of one participant: a bin accumulator per modality, how often the
 * window was emitted, and whether it was emitted at all. Serialized by {@link WindowStateSerializer}.
 */
public final class WindowState {
    private final BinAccumulator[] accumulators;
    private boolean fired;
    private int revision;

    public WindowState(int steps, int[] dims) {
        this.accumulators = new BinAccumulator[Modality.ALL.size()];
        for (Modality m : Modality.ALL) {
            accumulators[m.ordinal()] = new BinAccumulator(steps, dims[m.ordinal()]);
        }
    }

    WindowState(BinAccumulator[] accumulators, boolean fired, int revision) {
        this.accumulators = accumulators;
        this.fired = fired;
        this.revision = revision;
    }

    public BinAccumulator accumulator(Modality modality) {
        return accumulators[modality.ordinal()];
    }

    public boolean fired() {
        return fired;
    }

    public int revision() {
        return revision;
    }

    /** Marks an emission and returns the revision to stamp on it: 0 first, then 1, 2, ... */
    int nextRevision() {
        if (fired) {
            revision++;
        }
        fired = true;
        return revision;
    }

    BinAccumulator[] accumulators() {
        return accumulators;
    }

    WindowState copy() {
        BinAccumulator[] copies = new BinAccumulator[accumulators.length];
        for (int i = 0; i < copies.length; i++) {
            copies[i] = accumulators[i].copy();
        }
        return new WindowState(copies, fired, revision);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WindowState other && fired == other.fired && revision == other.revision
                && Arrays.equals(accumulators, other.accumulators);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fired, revision, Arrays.hashCode(accumulators));
    }
}
