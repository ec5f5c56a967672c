package io.hrlf.training.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hrlf.eval.SentimentMetrics;
import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.training.data.SyntheticDataset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A predictor that always says "+1" gets the accuracy of the positive share and MAE |1 - y|, in every condition. */
class ConstantPredictorEvaluationTest {
    @Test
    void aConstantPositivePredictorScoresThePositiveShare() {
        MultimodalDataset data = SyntheticDataset.generate(300, 2, new int[] {3, 2, 2}, 11L);
        float[] labels = data.labels();
        long nonZero = 0;
        long positive = 0;
        double absError = 0;
        for (float y : labels) {
            nonZero += y != 0 ? 1 : 0;
            positive += y > 0 ? 1 : 0;
            absError += Math.abs(1 - y);
        }
        double expectedAcc2 = positive / (double) nonZero;

        EvaluationReport report = Evaluator.evaluate(d -> {
            float[] scores = new float[d.size()];
            Arrays.fill(scores, 1f);
            return scores;
        }, data, 5L);

        for (SentimentMetrics.Metrics m : report.conditions().values()) {
            assertThat(m.acc2()).isCloseTo(expectedAcc2, within(1e-9));
            assertThat(m.mae()).isCloseTo(absError / labels.length, within(1e-5));
            assertThat(m.n()).isEqualTo(labels.length);
        }
        // weighted F1 when every prediction is positive: the positive class's F1 weighted by its share
        double f1Positive = 2 * expectedAcc2 / (expectedAcc2 + 1);
        assertThat(report.conditions().get("l,a,v").f1()).isCloseTo(expectedAcc2 * f1Positive, within(1e-9));
    }
}
