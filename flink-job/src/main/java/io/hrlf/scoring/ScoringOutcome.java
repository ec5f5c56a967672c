package io.hrlf.scoring;

import io.hrlf.avro.DeadLetter;
import io.hrlf.avro.SentimentScore;

/**
 * What the scorer made of one window: a score, or, when inference failed on every retry, a dead
 * letter. The async operator emits one of these per window so that a failing window is routed, in
 * order, instead of failing the job into a restart loop. A POJO (exactly one field set) for Flink's
 * serializer.
 */
public class ScoringOutcome {
    public SentimentScore score;
    public DeadLetter failure;

    public ScoringOutcome() {}

    static ScoringOutcome scored(SentimentScore score) {
        ScoringOutcome outcome = new ScoringOutcome();
        outcome.score = score;
        return outcome;
    }

    static ScoringOutcome failed(DeadLetter failure) {
        ScoringOutcome outcome = new ScoringOutcome();
        outcome.failure = failure;
        return outcome;
    }

    public boolean isScored() {
        return score != null;
    }
}
