package io.hrlf.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SentimentMetricsTest {

    @Test
    void perfectPredictionsScorePerfectly() {
        float[] labels = {-2.4f, -1f, 0f, 0.6f, 3f};
        SentimentMetrics.Metrics m = SentimentMetrics.compute(labels.clone(), labels);
        assertThat(m.f1()).isEqualTo(1.0);
        assertThat(m.acc2()).isEqualTo(1.0);
        assertThat(m.mae()).isZero();
        assertThat(m.corr()).isCloseTo(1.0, within(1e-9));
        assertThat(m.acc7()).isEqualTo(1.0);
        assertThat(m.n()).isEqualTo(5);
    }

    @Test
    void weightedF1MatchesAHandComputedConfusion() {
        // non-zero labels: 3 positive, 2 negative; the zero label is left out of F1 and Acc-2
        float[] labels = {1f, 2f, 0.5f, -1f, -2f, 0f};
        float[] preds = {1f, -1f, 0.5f, 1f, -2f, 5f};
        SentimentMetrics.Metrics m = SentimentMetrics.compute(preds, labels);
        // positive: tp=2 fn=1 fp=1 -> F1 = 4/6; negative: tn=1 fn(neg)=1 fp(neg)=1 -> F1 = 2/4
        double expectedF1 = (3 * (4.0 / 6) + 2 * (2.0 / 4)) / 5;
        assertThat(m.f1()).isCloseTo(expectedF1, within(1e-12));
        assertThat(m.acc2()).isCloseTo(3.0 / 5, within(1e-12));
        assertThat(m.mae()).isCloseTo((0 + 3 + 0 + 2 + 0 + 5) / 6.0, within(1e-6));
        // Acc-7 clips 5 to 3 before rounding; the hits are the labels 1, 0.5 and -2
        assertThat(m.acc7()).isCloseTo(3.0 / 6, within(1e-12));
    }

    @Test
    void constantPredictorHasNoCorrelation() {
        float[] labels = {-1f, 1f, 2f, -2f};
        SentimentMetrics.Metrics m = SentimentMetrics.compute(new float[] {0.3f, 0.3f, 0.3f, 0.3f}, labels);
        assertThat(m.corr()).isZero();
        assertThat(m.acc2()).isEqualTo(0.5);
        // all predicted positive: positive class F1 = 2*2/(2*2+2) = 2/3, negative F1 = 0
        assertThat(m.f1()).isCloseTo(0.5 * (2.0 / 3), within(1e-12));
    }

    @Test
    void polarityHasANeutralBand() {
        assertThat(SentimentMetrics.polarity(0.4f, 0.5f)).isZero();
        assertThat(SentimentMetrics.polarity(0.6f, 0.5f)).isEqualTo(1);
        assertThat(SentimentMetrics.polarity(-0.6f, 0.5f)).isEqualTo(-1);
        assertThat(SentimentMetrics.clipScore(7f)).isEqualTo(3f);
        assertThat(SentimentMetrics.clipScore(Float.NaN)).isNaN();
    }
}
