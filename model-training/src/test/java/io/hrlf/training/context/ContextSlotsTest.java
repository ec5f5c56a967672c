package io.hrlf.training.context;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContextSlotsTest {

    @Test
    void slotsHoldTheSameVideosEarlierRowsOldestFirstRightAligned() {
        // rows of two videos interleaved, each in time order
        ContextSlots slots = ContextSlots.of(new String[] {"a", "b", "a", "a", "b", "a"}, 2);
        int e = ContextSlots.EMPTY;
        int[][] expected = {{e, e}, {e, e}, {e, 0}, {0, 2}, {e, 1}, {2, 3}};
        for (int row = 0; row < expected.length; row++) {
            assertThat(new int[] {slots.source(row, 0), slots.source(row, 1)}).as("row %d", row)
                    .containsExactly(expected[row]);
        }
        assertThat(slots.mask()).containsExactly(0, 0, 0, 0, 0, 1, 1, 1, 0, 1, 1, 1);
    }

    @Test
    void selectionIsOneHotOnTheSourceRowAndZeroForEmptySlots() {
        ContextSlots slots = ContextSlots.of(new String[] {"a", "a", "a"}, 2);
        float[] selection = slots.selection();
        assertThat(selection).hasSize(3 * 2 * 3);
        // row 2, slot 0 <- row 0; row 2, slot 1 <- row 1; row 1, slot 1 <- row 0; the rest empty
        float[] expected = new float[18];
        expected[(2 * 2) * 3] = 1f;
        expected[(2 * 2 + 1) * 3 + 1] = 1f;
        expected[(1 * 2 + 1) * 3] = 1f;
        assertThat(selection).containsExactly(expected);
    }

    @Test
    void packKeepsVideosWholeAndInOrder() {
        int[][] videos = VideoBatches.videos(new String[] {"a", "a", "b", "c", "c", "c"});
        assertThat(videos).isDeepEqualTo(new int[][] {{0, 1}, {2}, {3, 4, 5}});
        int[][] batches = VideoBatches.pack(videos, new int[] {2, 0, 1}, 3);
        assertThat(batches).isDeepEqualTo(new int[][] {{3, 4, 5}, {0, 1, 2}});
    }
}
