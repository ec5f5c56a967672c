package io.hrlf.training.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hrlf.contract.MissingPattern;
import io.hrlf.contract.Modality;
import io.hrlf.contract.ModelMetadata;
import io.hrlf.model.ModelInput;
import io.hrlf.model.SentimentModel;
import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.training.data.SyntheticDataset;
import io.hrlf.training.eval.Evaluator;
import io.hrlf.training.train.HrlfTrainer;
import io.hrlf.training.train.TrainedModel;
import io.hrlf.training.train.TrainingListener;
import io.hrlf.training.train.TrainingOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exported student, loaded through the serving code path, scores exactly like the training graph. */
class ExportRoundTripTest {
    private static final int STEPS = 4;
    private static final int[] DIMS = {6, 4, 5};

    @Test
    void servingScoresEqualTrainingScores(@TempDir Path dir) throws Exception {
        MultimodalDataset train = SyntheticDataset.generate(300, STEPS, DIMS, 1);
        MultimodalDataset validation = SyntheticDataset.generate(60, STEPS, DIMS, 2);
        TrainingOptions options = TrainingOptions.defaults().withEpochs(2).withModelDim(8);
        MultimodalDataset probe = Evaluator.frames(Evaluator.condition(validation, MissingPattern.present(Modality.TEXT, Modality.VISION)), 0.3, 5);
        try (TrainedModel model = HrlfTrainer.train(train, validation, options, TrainingListener.SILENT)) {
            float[] expected = model.predict(probe);
            Map<String, Integer> dims = new LinkedHashMap<>();
            for (Modality m : Modality.ALL) {
                dims.put(m.inputName(), DIMS[m.ordinal()]);
            }
            model.exportStudent(dir, new ModelMetadata(ModelMetadata.FORMAT_VERSION, "test-export",
                    options.variant().cliName(), options.seed(), STEPS, dims, model.normalizer().asMetadata(),
                    train.description(), Instant.now().toString(), options.asMap(), Map.of()));

            try (SentimentModel serving = SentimentModel.load(dir, STEPS, DIMS)) {
                float[][] values = probe.allValues();
                float[][] masks = probe.allMasks();
                float[] served = serving.predict(new ModelInput(probe.size(), STEPS, DIMS, values, masks));
                assertThat(served).hasSize(expected.length);
                for (int i = 0; i < expected.length; i++) {
                    assertThat(served[i]).as("row %d", i).isCloseTo(expected[i], within(1e-5f));
                }
                assertThat(serving.metadata().variant()).isEqualTo("full");
                assertThat(serving.metadata().normalization()).containsKeys("text", "audio", "vision");
            }
        }
    }
}
