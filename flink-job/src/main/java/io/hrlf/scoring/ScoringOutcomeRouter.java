package io.hrlf.scoring;

import io.hrlf.avro.DeadLetter;
import io.hrlf.avro.SentimentScore;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Scores to the main output, windows that could not be scored to {@link #FAILED_WINDOWS}. */
final class ScoringOutcomeRouter extends ProcessFunction<ScoringOutcome, SentimentScore> {
    private static final long serialVersionUID = 1L;

    static final OutputTag<DeadLetter> FAILED_WINDOWS = new OutputTag<>("failed-windows") {};

    @Override
    public void processElement(ScoringOutcome outcome, Context ctx, Collector<SentimentScore> out) {
        if (outcome.isScored()) {
            out.collect(outcome.score);
        } else {
            ctx.output(FAILED_WINDOWS, outcome.failure);
        }
    }
}
