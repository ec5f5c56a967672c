package io.hrlf.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The context section prints the state size it measures; the write-up (docs/BENCHMARKS.md, section 6)
 * states it as 16 + K x (8 + 4 d_c) bytes per participant. This keeps that layout true for the product's
 * shape and the previously documented one.
 */
class ContextBenchTest {
    @Test
    void stateBytesFollowTheDocumentedLayout() throws Exception {
        assertThat(ContextBench.stateBytes(ContextBench.K, ContextBench.DC))
                .isEqualTo(16 + ContextBench.K * (8 + 4 * ContextBench.DC))
                .isEqualTo(592);
        assertThat(ContextBench.stateBytes(6, 32)).isEqualTo(832);
    }
}
