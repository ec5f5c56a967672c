package io.hrlf.training.missing;

import io.hrlf.contract.MissingPattern;
import java.util.List;
import java.util.Random;

/**
 * Training missingness for a model with context, drawn per video so that what a window remembers was
 * degraded the way a live stream degrades. Each video of a batch takes one of three scenarios with equal
 * probability:
 * <ul>
 *   <li>every row draws its own missingness ({@link MissingnessProtocol}, as for a model without context);</li>
 *   <li>one missing-modality pattern on every row (a participant whose camera or microphone never worked);</li>
 *   <li>complete rows up to a random cut, then one pattern on every row from there on (a stream that dies
 *       mid-call and stays away).</li>
 * </ul>
 * The patterns are the six of the evaluation ({@link MissingPattern#PAPER_MISSING_CONDITIONS}).
 */
public final class SequenceMissingness {
    private static final int SCENARIOS = 3;
    private static final int PER_ROW = 0;
    private static final int WHOLE_VIDEO = 1;

    private final MissingnessProtocol perRow;

    public SequenceMissingness(MissingnessProtocol perRow) {
        this.perRow = perRow;
    }

    /**
     * Applies the scenarios in place.
     *
     * @param videos each video's rows (positions in {@code values}/{@code masks}), in time order
     */
    public void applyInPlace(float[][] values, float[][] masks, int[][] videos, int steps, int[] dims, Random rng) {
        List<MissingPattern> patterns = MissingPattern.PAPER_MISSING_CONDITIONS;
        // rows to degrade, per pattern: each pattern is applied once, after every video has drawn its scenario
        boolean[][] degraded = new boolean[patterns.size()][];
        int rows = masks[0].length / steps;
        for (int[] video : videos) {
            int scenario = rng.nextInt(SCENARIOS);
            if (scenario == PER_ROW) {
                for (int row : video) {
                    perRow.applyToRow(values, masks, row, steps, dims, rng);
                }
                continue;
            }
            int pattern = rng.nextInt(patterns.size());
            int cut = scenario == WHOLE_VIDEO || video.length < 2 ? 0 : 1 + rng.nextInt(video.length - 1);
            if (degraded[pattern] == null) {
                degraded[pattern] = new boolean[rows];
            }
            for (int i = cut; i < video.length; i++) {
                degraded[pattern][video[i]] = true;
            }
        }
        for (int p = 0; p < patterns.size(); p++) {
            if (degraded[p] != null) {
                MissingnessProtocol.dropModalities(values, masks, degraded[p], steps, dims,
                        patterns.get(p).presenceFlags());
            }
        }
    }
}
