package io.hrlf.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.hrlf.avro.SentimentScore;
import io.hrlf.window.AssembledWindow;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeoutException;
import org.apache.flink.streaming.api.functions.async.CollectionSupplier;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.junit.jupiter.api.Test;

/** What the scorer does without a model: the timeout path, which must fail loudly, not drop the window. */
class ModelScoringFunctionTest {

    /** Records how Flink's async operator was told the request ended. */
    private static final class RecordingFuture implements ResultFuture<ScoringOutcome> {
        Collection<ScoringOutcome> results;
        Throwable error;

        @Override
        public void complete(Collection<ScoringOutcome> result) {
            results = result;
        }

        @Override
        public void completeExceptionally(Throwable error) {
            this.error = error;
        }

        @Override
        public void complete(CollectionSupplier<ScoringOutcome> supplier) {
            throw new UnsupportedOperationException("the scorer completes with collections");
        }
    }

    @Test
    void aTimedOutWindowFailsWithAMessageNamingTheWindowAndTheKnobs() {
        ModelScoringFunction scorer = new ModelScoringFunction("/models/none", 4, new int[] {1, 1, 1},
                new ScorerSettings(8, Duration.ofMillis(5), 0.5f, null, 3, Duration.ofMillis(10)));
        AssembledWindow window = new AssembledWindow();
        window.callId = "call-9";
        window.participantId = "alice";
        window.windowStartMillis = 5000;
        window.windowEndMillis = 10000;
        window.masks = new float[][] {{1, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}};
        window.frames = new int[] {1, 0, 0};
        window.completeness = new float[] {0.25f, 0f, 0f};

        RecordingFuture future = new RecordingFuture();
        scorer.timeout(window, future);

        assertThat(future.results).as("nothing is emitted for a window that was not scored").isNull();
        assertThat(future.error).isInstanceOf(TimeoutException.class)
                .hasMessageContaining("call-9/alice")
                .hasMessageContaining("[5000, 10000)")
                .hasMessageContaining(ScoringOptions.ASYNC_TIMEOUT.key());
    }
}
