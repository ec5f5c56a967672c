package io.hrlf.binning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BinAccumulatorTest {

    @Test
    void binsAreEqualCutsOfTheWindow() {
        TimeBins bins = new TimeBins(1000, 2000, 4); // 250 ms bins
        assertThat(bins.firstBin(1000, 1100)).isZero();
        assertThat(bins.lastBin(1000, 1100)).isZero();
        // a frame ending exactly on a boundary does not touch the next bin
        assertThat(bins.lastBin(1000, 1250)).isZero();
        assertThat(bins.firstBin(1240, 1260)).isZero();
        assertThat(bins.lastBin(1240, 1260)).isEqualTo(1);
        // frames reaching outside are clamped to the window
        assertThat(bins.firstBin(500, 1300)).isZero();
        assertThat(bins.lastBin(1900, 2600)).isEqualTo(3);
        // outside, touching the edge only, or inverted: no bin
        assertThat(bins.firstBin(2000, 2100)).isEqualTo(-1);
        assertThat(bins.firstBin(900, 1000)).isEqualTo(-1);
        assertThat(bins.firstBin(1500, 1400)).isEqualTo(-1);
        // an instant belongs to the bin that contains it; the window end is outside
        assertThat(bins.firstBin(1250, 1250)).isEqualTo(1);
        assertThat(bins.lastBin(1250, 1250)).isEqualTo(1);
        assertThat(bins.firstBin(2000, 2000)).isEqualTo(-1);
    }

    @Test
    void binValueIsTheMeanOfTheFramesThatOverlapIt() {
        TimeBins bins = new TimeBins(0.0, 3.0, 3);
        BinAccumulator acc = new BinAccumulator(3, 2);
        assertThat(acc.add(bins, 0.0, 1.0, new float[] {1, 10}, 0)).isTrue();
        assertThat(acc.add(bins, 0.5, 1.5, new float[] {9, 9, 3, 20}, 2)).isTrue(); // spans bins 0 and 1
        assertThat(acc.add(bins, 5.0, 6.0, new float[] {100, 100}, 0)).isFalse();   // outside the window

        float[] means = new float[6];
        float[] mask = new float[3];
        acc.writeMeans(means, 0);
        acc.writeMask(mask, 0);
        assertThat(means).containsExactly(2f, 15f, 3f, 20f, 0f, 0f);
        assertThat(mask).containsExactly(1f, 1f, 0f);
        assertThat(acc.observedSteps()).isEqualTo(2);
        assertThat(acc.completeness()).isEqualTo(2f / 3f);
        assertThat(acc.frames()).isEqualTo(2);
    }

    @Test
    void mergeEqualsAddingEverythingToOne() {
        TimeBins bins = new TimeBins(0, 100, 5);
        BinAccumulator all = new BinAccumulator(5, 1);
        BinAccumulator left = new BinAccumulator(5, 1);
        BinAccumulator right = new BinAccumulator(5, 1);
        for (int i = 0; i < 10; i++) {
            float[] v = {i};
            all.add(bins, i * 10, i * 10 + 15, v, 0);
            (i % 2 == 0 ? left : right).add(bins, i * 10, i * 10 + 15, v, 0);
        }
        left.merge(right);
        assertThat(left).isEqualTo(all);
        BinAccumulator copy = all.copy();
        copy.add(bins, 0, 1, new float[] {1}, 0);
        assertThat(copy).isNotEqualTo(all);
        BinAccumulator rebuilt = new BinAccumulator(5, 1, all.rawSums().clone(), all.rawCounts().clone(), all.frames());
        assertThat(rebuilt).isEqualTo(all);
    }

    @Test
    void rejectsMismatchedShapes() {
        assertThatThrownBy(() -> new TimeBins(10, 10, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TimeBins(0, 10, 0)).isInstanceOf(IllegalArgumentException.class);
        BinAccumulator acc = new BinAccumulator(3, 2);
        assertThatThrownBy(() -> acc.add(new TimeBins(0, 1, 4), 0, 1, new float[2], 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> acc.merge(new BinAccumulator(3, 3))).isInstanceOf(IllegalArgumentException.class);
    }
}
