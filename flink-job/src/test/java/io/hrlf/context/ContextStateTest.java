package io.hrlf.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ContextStateTest {

    private static float[] rep(float v) {
        return new float[] {v, -v};
    }

    @Test
    void keepsTheNewestKInWindowOrder() {
        ContextState state = new ContextState(2);
        for (int w = 0; w < 5; w++) {
            state.remember(w * 1000L, rep(w), 3);
        }
        assertThat(state.size()).isEqualTo(3);
        assertThat(state.before(Long.MAX_VALUE)).containsExactly(rep(2), rep(3), rep(4));
        assertThat(state.before(4000)).containsExactly(rep(2), rep(3));
        assertThat(state.before(2000)).isEmpty();
    }

    @Test
    void aReScoredWindowReplacesItsOwnEntryAndIsNotItsOwnContext() {
        ContextState state = new ContextState(2);
        state.remember(0, rep(1), 4);
        state.remember(1000, rep(2), 4);
        assertThat(state.before(1000)).as("the re-scored window sees only its predecessors").containsExactly(rep(1));
        state.remember(1000, rep(7), 4);
        assertThat(state.size()).isEqualTo(2);
        assertThat(state.before(2000)).containsExactly(rep(1), rep(7));
    }

    @Test
    void aWindowScoredAfterALaterOneGoesInStartOrder() {
        ContextState state = new ContextState(2);
        state.remember(0, rep(1), 3);
        state.remember(2000, rep(3), 3);
        state.remember(1000, rep(2), 3);
        assertThat(state.before(5000)).containsExactly(rep(1), rep(2), rep(3));
        // at capacity, an entry older than all kept ones is inserted and dropped again at once
        state.remember(-1000, rep(9), 3);
        assertThat(state.before(5000)).containsExactly(rep(1), rep(2), rep(3));
        assertThatThrownBy(() -> state.remember(3000, new float[3], 3)).hasMessageContaining("d_c=2");
    }

    @Test
    void copyIsDeep() {
        ContextState state = new ContextState(2);
        state.remember(0, rep(1), 2);
        state.expiresAt(99);
        ContextState copy = state.copy();
        assertThat(copy).isEqualTo(state).isNotSameAs(state);
        copy.representation(0)[0] = 42;
        assertThat(copy).isNotEqualTo(state);
        assertThat(state.representation(0)[0]).isEqualTo(1f);
    }
}
