package io.hrlf.context;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What the job remembers of one participant for a model with context: the representations of its
 * latest scored windows (at most K), ordered by window start, and the event time at which the
 * participant counts as gone and this state is dropped.
 *
 * <p>Windows are keyed by their start so that a window re-scored because late frames arrived
 * replaces its own entry instead of adding a second one, and so that a window is always scored with
 * the entries of the windows that started before it, whatever order the windows were scored in.
 */
public final class ContextState {
    private final int dimension;
    private final List<Long> starts;
    private final List<float[]> representations;
    private long expiresAt;

    /** No window remembered yet. */
    public ContextState(int dimension) {
        this(dimension, new ArrayList<>(), new ArrayList<>(), Long.MIN_VALUE);
    }

    ContextState(int dimension, List<Long> starts, List<float[]> representations, long expiresAt) {
        if (starts.size() != representations.size()) {
            throw new IllegalArgumentException(starts.size() + " starts for " + representations.size() + " representations");
        }
        this.dimension = dimension;
        this.starts = starts;
        this.representations = representations;
        this.expiresAt = expiresAt;
    }

    /** d_c of every remembered representation. */
    public int dimension() {
        return dimension;
    }

    public int size() {
        return starts.size();
    }

    /** The start of the i-th remembered window, oldest first. */
    public long start(int i) {
        return starts.get(i);
    }

    /** The i-th remembered representation, oldest first (not a copy). */
    public float[] representation(int i) {
        return representations.get(i);
    }

    /** Event time at which the participant counts as gone ({@link Long#MIN_VALUE} before any window). */
    public long expiresAt() {
        return expiresAt;
    }

    public void expiresAt(long time) {
        this.expiresAt = time;
    }

    /** The representations of the remembered windows that started before {@code windowStart}, oldest first. */
    public List<float[]> before(long windowStart) {
        List<float[]> earlier = new ArrayList<>();
        for (int i = 0; i < starts.size() && starts.get(i) < windowStart; i++) {
            earlier.add(representations.get(i));
        }
        return earlier;
    }

    /**
     * Remembers the representation of the window starting at {@code windowStart}: replaces the entry of a
     * re-scored window, inserts any other in start order, and keeps only the newest {@code capacity}.
     */
    public void remember(long windowStart, float[] representation, int capacity) {
        if (representation.length != dimension) {
            throw new IllegalArgumentException("representation of " + representation.length + " values, state holds d_c="
                    + dimension);
        }
        int i = 0;
        while (i < starts.size() && starts.get(i) < windowStart) {
            i++;
        }
        if (i < starts.size() && starts.get(i) == windowStart) {
            representations.set(i, representation.clone());
        } else {
            starts.add(i, windowStart);
            representations.add(i, representation.clone());
        }
        while (starts.size() > capacity) {
            starts.remove(0);
            representations.remove(0);
        }
    }

    public ContextState copy() {
        List<float[]> reps = new ArrayList<>(representations.size());
        representations.forEach(r -> reps.add(r.clone()));
        return new ContextState(dimension, new ArrayList<>(starts), reps, expiresAt);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ContextState other) || other.dimension != dimension || other.expiresAt != expiresAt
                || !other.starts.equals(starts)) {
            return false;
        }
        for (int i = 0; i < representations.size(); i++) {
            if (!Arrays.equals(representations.get(i), other.representations.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(dimension, starts, expiresAt);
    }

    @Override
    public String toString() {
        return "ContextState{d_c=" + dimension + ", windows " + starts + ", expires " + expiresAt + '}';
    }
}
