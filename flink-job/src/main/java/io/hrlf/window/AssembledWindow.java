package io.hrlf.window;

import io.hrlf.contract.MissingPattern;
import io.hrlf.contract.Modality;
import io.hrlf.contract.ParticipantKey;
import java.util.Arrays;

/**
 * A closed window of one participant, in the layout of the tensor contract and ready for scoring:
 * per modality the T x d bin means and the T-step mask (all zero when the modality was missing).
 *
 * <p>A Flink POJO (public fields, no-arg constructor) so it travels without Kryo. Arrays are indexed
 * by {@link Modality#ordinal()}.
 */
public class AssembledWindow {
    public String callId;
    public String participantId;
    public long windowStartMillis;
    public long windowEndMillis;
    /** 0 for the first firing; n &gt; 0 when frames within the allowed lateness re-fired it. */
    public int revision;
    /** Per modality: T*d values. */
    public float[][] values;
    /** Per modality: T mask entries, 1 observed, 0 missing. */
    public float[][] masks;
    /** Per modality: frames that fell into the window. */
    public int[] frames;
    /** Per modality: observed steps / T, in [0, 1] (0 when the modality is missing). */
    public float[] completeness;
    /** Wall-clock time the window was assembled, for the latency metrics. */
    public long firedAtMillis;

    public AssembledWindow() {}

    public boolean present(Modality modality) {
        return missingPattern().isPresent(modality);
    }

    /** Observed steps / T of one modality, in [0, 1]. */
    public float completeness(Modality modality) {
        return completeness[modality.ordinal()];
    }

    /** The modalities with an observed step, read from the masks. */
    public MissingPattern missingPattern() {
        return MissingPattern.fromMasks(masks);
    }

    public ParticipantKey participantKey() {
        return new ParticipantKey(callId, participantId);
    }

    @Override
    public String toString() {
        return "AssembledWindow{" + participantKey() + " [" + windowStartMillis + ", " + windowEndMillis + ") rev "
                + revision + ", pattern '" + missingPattern().code() + "', frames " + Arrays.toString(frames) + ", completeness "
                + Arrays.toString(completeness) + '}';
    }
}
