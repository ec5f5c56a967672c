package io.hrlf.training.missing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hrlf.contract.MissingPattern;
import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.training.data.SyntheticDataset;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SequenceMissingnessTest {
    private static final int STEPS = 3;
    private static final int[] DIMS = {2, 2, 2};
    private static final int VIDEOS = 900;
    private static final int LENGTH = 6;

    /** Each video's rows: complete, then from some cut on one fixed pattern; or each row on its own. */
    @Test
    void eachVideoIsDegradedPerRowOrByOnePatternFromACutOnwardWithEqualShares() {
        MultimodalDataset data = SyntheticDataset.generate(VIDEOS * LENGTH, STEPS, DIMS, 4);
        float[][] values = data.copyValues();
        float[][] masks = data.copyMasks();
        int[][] videos = new int[VIDEOS][LENGTH];
        for (int v = 0; v < VIDEOS; v++) {
            for (int i = 0; i < LENGTH; i++) {
                videos[v][i] = v * LENGTH + i;
            }
        }
        new SequenceMissingness(new MissingnessProtocol(new MissingnessOptions(0.4, 0.5, true)))
                .applyInPlace(values, masks, videos, STEPS, DIMS, new Random(3));

        int wholeVideo = 0;
        int cutMidway = 0;
        int perRow = 0;
        for (int[] rows : videos) {
            MissingPattern[] patterns = new MissingPattern[LENGTH];
            for (int i = 0; i < LENGTH; i++) {
                patterns[i] = patternOf(masks, rows[i]);
            }
            int firstDegraded = 0;
            while (firstDegraded < LENGTH && patterns[firstDegraded].equals(MissingPattern.FULL)) {
                firstDegraded++;
            }
            boolean onePatternFromCut = firstDegraded < LENGTH
                    && MissingPattern.PAPER_MISSING_CONDITIONS.contains(patterns[firstDegraded]);
            for (int i = firstDegraded; onePatternFromCut && i < LENGTH; i++) {
                onePatternFromCut = patterns[i].equals(patterns[firstDegraded]) && everyStepOfPresentModalitiesKept(masks, rows[i]);
            }
            if (onePatternFromCut && firstDegraded == 0) {
                wholeVideo++;
            } else if (onePatternFromCut) {
                cutMidway++;
            } else {
                perRow++;
            }
        }
        // the per-row protocol also drops frames, so its videos almost never look like a clean pattern
        assertThat(wholeVideo / (double) VIDEOS).isCloseTo(1 / 3.0, within(0.06));
        assertThat(cutMidway / (double) VIDEOS).isCloseTo(1 / 3.0, within(0.06));
        assertThat(perRow / (double) VIDEOS).isCloseTo(1 / 3.0, within(0.06));
    }

    private static MissingPattern patternOf(float[][] masks, int row) {
        boolean[] present = new boolean[3];
        for (int m = 0; m < 3; m++) {
            for (int t = 0; t < STEPS; t++) {
                present[m] |= masks[m][row * STEPS + t] > 0;
            }
        }
        return MissingPattern.fromPresenceFlags(present);
    }

    private static boolean everyStepOfPresentModalitiesKept(float[][] masks, int row) {
        for (int m = 0; m < 3; m++) {
            int observed = 0;
            for (int t = 0; t < STEPS; t++) {
                observed += (int) masks[m][row * STEPS + t];
            }
            if (observed != 0 && observed != STEPS) {
                return false;
            }
        }
        return true;
    }
}
