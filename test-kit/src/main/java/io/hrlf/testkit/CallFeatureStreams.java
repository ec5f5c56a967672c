package io.hrlf.testkit;

import io.hrlf.avro.FeatureChunk;
import io.hrlf.avro.SentimentScore;
import io.hrlf.contract.Modality;
import io.hrlf.contract.ParticipantKey;
import io.hrlf.model.testing.TinyContractModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Deterministic feature streams for the end-to-end tests and the scores they must produce.
 * Participant p's frames fill every bin of a window, and a frame's values are a fixed function of
 * (participant, modality, window, bin, feature), so the score of every window is known in advance
 * from {@link TinyContractModel#expectedScore}. Scores are keyed {@code call/participant@windowStart}.
 *
 * <p>Only the data: sending it through the job's wire format and reading scores back is the job's
 * tests' business ({@code io.hrlf.job.CallStreamsOverKafka}), so that this kit does not depend on the job.
 */
public final class CallFeatureStreams {
    public static final int STEPS = 4;
    public static final int[] DIMS = {3, 2, 2};
    public static final long WINDOW = 5_000;
    public static final long BIN = WINDOW / STEPS;

    private CallFeatureStreams() {}

    public static float value(int participant, Modality modality, int window, int bin, int feature) {
        return (float) (0.05 * (participant - 2) + 0.03 * (modality.ordinal() - 1) + 0.02 * Math.sin(window + bin)
                + 0.01 * feature);
    }

    /** One chunk with one frame per bin of {@code window}. */
    public static FeatureChunk windowChunk(String call, int participant, Modality modality, int window, long seq) {
        int d = DIMS[modality.ordinal()];
        List<Long> starts = new ArrayList<>();
        List<Long> ends = new ArrayList<>();
        List<Float> values = new ArrayList<>();
        for (int bin = 0; bin < STEPS; bin++) {
            long start = window * WINDOW + bin * BIN;
            starts.add(start);
            ends.add(start + BIN);
            for (int j = 0; j < d; j++) {
                values.add(value(participant, modality, window, bin, j));
            }
        }
        return FeatureChunk.newBuilder().setCallId(call).setParticipantId("p" + participant)
                .setModality(io.hrlf.avro.Modality.valueOf(modality.name())).setSequenceNumber(seq)
                .setProducerTimestampMillis(Instant.now()).setDimension(d)
                .setFrameStartMillis(starts).setFrameEndMillis(ends).setValues(values).build();
    }

    /** The tiny model's score for a window of {@code participant} with the {@code present} modalities. */
    public static float expectedScore(int participant, int window, boolean[] present) {
        float[][][] input = modelInput(participant, window, present);
        return TinyContractModel.expectedScore(STEPS, DIMS, input[0], input[1]);
    }

    /**
     * The model's input for a window of {@code participant} with the {@code present} modalities:
     * {values, masks}, per modality T*d values and T mask entries.
     */
    public static float[][][] modelInput(int participant, int window, boolean[] present) {
        float[][] values = new float[3][];
        float[][] masks = new float[3][];
        for (Modality m : Modality.ALL) {
            int d = DIMS[m.ordinal()];
            values[m.ordinal()] = new float[STEPS * d];
            masks[m.ordinal()] = new float[STEPS];
            if (!present[m.ordinal()]) {
                continue;
            }
            for (int bin = 0; bin < STEPS; bin++) {
                masks[m.ordinal()][bin] = 1f;
                for (int j = 0; j < d; j++) {
                    values[m.ordinal()][bin * d + j] = value(participant, m, window, bin, j);
                }
            }
        }
        return new float[][][] {values, masks};
    }

    /** A frame of the "sentinel/clock" participant at {@code at}: sent to every partition, it moves the watermark. */
    public static FeatureChunk sentinel(Modality m, long at) {
        int d = DIMS[m.ordinal()];
        List<Float> values = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            values.add(0f);
        }
        return FeatureChunk.newBuilder().setCallId("sentinel").setParticipantId("clock")
                .setModality(io.hrlf.avro.Modality.valueOf(m.name())).setSequenceNumber(at)
                .setProducerTimestampMillis(Instant.now()).setDimension(d)
                .setFrameStartMillis(List.of(at)).setFrameEndMillis(List.of(at + 10)).setValues(values).build();
    }

    public static String scoreKey(SentimentScore score) {
        return new ParticipantKey(score.getCallId(), score.getParticipantId()) + "@" + score.getWindowStartMillis().toEpochMilli();
    }
}
