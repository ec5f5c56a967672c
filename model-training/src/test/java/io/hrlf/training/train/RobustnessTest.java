package io.hrlf.training.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.training.data.SyntheticDataset;
import io.hrlf.training.eval.EvaluationReport;
import io.hrlf.training.eval.Evaluator;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The point of HRLF on data with a known answer: a student trained with missingness and a teacher
 * stays accurate when modalities go missing, where the same network trained only on complete data
 * does not.
 */
class RobustnessTest {
    private static final int STEPS = 4;
    private static final int[] DIMS = {12, 8, 8};

    /**
     * One vector per sample (T = 1, like the utterance-level MOSI features), where a missing modality
     * is all the model can lose: the difference between learning with and without missingness shows
     * most clearly there.
     */
    @Test
    void fullStudentBeatsPlainUnderMissingModalities() {
        MultimodalDataset train = SyntheticDataset.generate(1200, 1, DIMS, 11);
        MultimodalDataset validation = SyntheticDataset.generate(400, 1, DIMS, 12);
        TrainingOptions base = TrainingOptions.defaults().withModelDim(16).withEpochs(12);
        EvaluationReport full;
        EvaluationReport plain;
        try (TrainedModel model = HrlfTrainer.train(train, validation, base.withVariant(Variant.FULL), TrainingListener.SILENT)) {
            full = Evaluator.evaluate(model, validation, 3);
        }
        try (TrainedModel model = HrlfTrainer.train(train, validation, base.withVariant(Variant.PLAIN), TrainingListener.SILENT)) {
            plain = Evaluator.evaluate(model, validation, 3);
        }
        System.out.printf(Locale.ROOT, "synthetic avg missing F1: full %.4f, plain %.4f; complete: full %.4f, plain %.4f%n",
                full.avgMissingF1(), plain.avgMissingF1(), full.conditions().get("l,a,v").f1(),
                plain.conditions().get("l,a,v").f1());
        assertThat(full.avgMissingF1()).isGreaterThan(plain.avgMissingF1() + 0.1);
        assertThat(full.conditions().get("l,a,v").f1()).isGreaterThan(0.8);
    }
}
