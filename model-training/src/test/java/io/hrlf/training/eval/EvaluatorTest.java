package io.hrlf.training.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.hrlf.contract.Modality;
import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.training.data.SyntheticDataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluatorTest {
    private static final int[] DIMS = {3, 2, 2};

    @Test
    void anOraclePredictorScoresPerfectlyAndTheJsonHasTheDocumentedShape(@TempDir Path dir) throws Exception {
        MultimodalDataset data = SyntheticDataset.generate(200, 2, DIMS, 8);
        EvaluationReport report = Evaluator.evaluate(d -> d.labels().clone(), data, 1);
        assertThat(report.conditions().get("l,a,v").f1()).isEqualTo(1.0);
        assertThat(report.conditions().get("a").mae()).isZero();
        assertThat(report.avgMissingF1()).isEqualTo(1.0);

        Path file = dir.resolve("report.json");
        report.write(file);
        JsonNode json = EvaluationReport.json().readTree(file.toFile());
        List<String> top = new ArrayList<>();
        json.fieldNames().forEachRemaining(top::add);
        assertThat(top).containsExactly("conditions", "avg_missing_f1", "frame_missing", "lost_midway");
        List<String> lost = new ArrayList<>();
        json.get("lost_midway").fieldNames().forEachRemaining(lost::add);
        assertThat(lost).containsExactly("l", "a", "v", "l,a", "l,v", "a,v", "avg_f1");
        assertThat(json.get("lost_midway").get("avg_f1").asDouble()).isEqualTo(1.0);
        List<String> conditions = new ArrayList<>();
        json.get("conditions").fieldNames().forEachRemaining(conditions::add);
        assertThat(conditions).containsExactlyInAnyOrder("l,a,v", "l", "a", "v", "l,a", "l,v", "a,v");
        List<String> rates = new ArrayList<>();
        json.get("frame_missing").fieldNames().forEachRemaining(rates::add);
        assertThat(rates).containsExactly("0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9");
        List<String> metrics = new ArrayList<>();
        json.get("conditions").get("l").fieldNames().forEachRemaining(metrics::add);
        assertThat(metrics).containsExactly("f1", "acc2", "mae", "corr", "acc7", "n");
        assertThat(json.get("conditions").get("l").get("n").asInt()).isEqualTo(200);
        assertThat(EvaluationReport.read(file)).isEqualTo(report);
    }

    @Test
    void conditionsReachThePredictorAsMaskedInputs() {
        MultimodalDataset data = SyntheticDataset.generate(100, 2, DIMS, 8);
        // a predictor that only "sees" text: it answers the label when text is present, else 0
        Predictor textOnly = d -> {
            float[] out = new float[d.size()];
            for (int i = 0; i < d.size(); i++) {
                out[i] = d.masks(Modality.TEXT)[i * 2] > 0 ? d.labels()[i] : -d.labels()[i];
            }
            return out;
        };
        EvaluationReport report = Evaluator.evaluate(textOnly, data, 1);
        assertThat(report.conditions().get("l").f1()).isEqualTo(1.0);
        assertThat(report.conditions().get("a,v").f1()).isZero();
        assertThat(report.avgMissingF1()).isCloseTo((1 + 0 + 0 + 1 + 1 + 0) / 6.0, within(1e-9));
    }

    @Test
    void lostMidwayKeepsEveryModalityInTheFirstHalfOfEachVideoAndScoresTheSecondHalf() {
        int n = 5;
        float[][] values = {new float[n * 3], new float[n * 2], new float[n * 2]};
        float[][] masks = {filled(n, 1f), filled(n, 1f), filled(n, 1f)};
        float[] labels = {1, -1, 2, -2, 1};
        String[] videos = {"a", "a", "a", "b", "b"};
        MultimodalDataset data = new MultimodalDataset(1, DIMS, values, masks, labels, videos, "two videos");
        assertThat(Evaluator.secondHalves(data)).containsExactly(false, true, true, false, true);

        List<MultimodalDataset> seen = new ArrayList<>();
        // answers the label when text is present, its opposite otherwise
        Predictor textOnly = d -> {
            seen.add(d);
            float[] out = new float[d.size()];
            for (int i = 0; i < d.size(); i++) {
                out[i] = d.masks(Modality.TEXT)[i] > 0 ? d.labels()[i] : -d.labels()[i];
            }
            return out;
        };
        LostMidway lost = Evaluator.lostMidway(textOnly, data);
        assertThat(lost.conditions().keySet()).containsExactly("l", "a", "v", "l,a", "l,v", "a,v");
        assertThat(lost.conditions().get("l").f1()).isEqualTo(1.0);
        assertThat(lost.conditions().get("a,v").f1()).isZero();
        assertThat(lost.conditions().get("l").n()).isEqualTo(3); // rows 1, 2 and 4
        assertThat(lost.avgF1()).isCloseTo(0.5, within(1e-9));
        MultimodalDataset audioOnly = seen.get(1);
        for (int row = 0; row < n; row++) {
            boolean second = row == 1 || row == 2 || row == 4;
            assertThat(audioOnly.masks(Modality.TEXT)[row]).as("text mask of row %d", row).isEqualTo(second ? 0f : 1f);
            assertThat(audioOnly.masks(Modality.AUDIO)[row]).as("audio mask of row %d", row).isEqualTo(1f);
        }
    }

    private static float[] filled(int n, float v) {
        float[] out = new float[n];
        java.util.Arrays.fill(out, v);
        return out;
    }
}
