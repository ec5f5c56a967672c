package io.hrlf.training.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hrlf.contract.ContextSpec;
import io.hrlf.contract.MissingPattern;
import io.hrlf.contract.Modality;
import io.hrlf.model.SentimentModel;
import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.training.data.Participants;
import io.hrlf.training.data.SyntheticDataset;
import io.hrlf.training.eval.EvaluationReport;
import io.hrlf.training.eval.SavedModelPredictor;
import io.hrlf.training.missing.MissingnessProtocol;
import io.hrlf.training.train.HrlfTrainer;
import io.hrlf.training.train.TrainedModel;
import io.hrlf.training.train.TrainingData;
import io.hrlf.training.train.TrainingListener;
import io.hrlf.training.train.TrainingOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model with context, exported and replayed window by window through the serving code path (as the job
 * serves it: each video a participant, its earlier windows' representations fed back), scores exactly what
 * training computed for the whole video at once; and the context changes the scores.
 */
class ContextExportRoundTripTest {
    private static final int STEPS = 4;
    private static final int[] DIMS = {6, 4, 5};
    private static final int K = 3;
    private static final int DC = 8;
    /** SyntheticDataset puts 10 consecutive rows in each video. */
    private static final int VIDEO_LENGTH = 10;

    @Test
    void servingReplayInOrderEqualsTrainingAndContextMatters(@TempDir Path dir) throws Exception {
        MultimodalDataset train = SyntheticDataset.generate(300, STEPS, DIMS, 1);
        MultimodalDataset validation = SyntheticDataset.generate(60, STEPS, DIMS, 2);
        TrainingOptions options = TrainingOptions.defaults().withEpochs(1).withModelDim(8).withContext(K, DC)
                .withContextEpochs(2);
        MultimodalDataset probe = textLostMidway(validation);
        // no selection set: the last context epoch is kept (a selection could keep epoch 0, where context adds nothing)
        TrainingData data = new TrainingData(train, null, null);
        try (TrainedModel model = HrlfTrainer.train(data, options, TrainingListener.SILENT)) {
            float[] expected = model.predict(probe);
            float[] alone = model.predict(Participants.eachRowAlone(probe));
            EvaluationReport report = ModelExport.evaluateAndExport(model, data, validation, dir, "test-context");

            try (SentimentModel serving = SentimentModel.load(dir, STEPS, DIMS)) {
                assertThat(serving.context()).contains(ContextSpec.of(K, DC));
                assertThat(serving.metadata().hyperparameters()).containsEntry("contextWindows", K);
                float[] replayed = new SavedModelPredictor(serving, 7).predict(probe);
                float[] replayedAgain = new SavedModelPredictor(serving, 7).predict(probe);
                int changedByContext = 0;
                for (int row = 0; row < expected.length; row++) {
                    assertThat(replayed[row]).as("row %d", row).isCloseTo(expected[row], within(1e-5f));
                    assertThat(replayedAgain[row]).isEqualTo(replayed[row]);
                    if (row % VIDEO_LENGTH == 0) {
                        // a participant's first window has no context: scored as if alone
                        assertThat(expected[row]).as("first row %d", row).isCloseTo(alone[row], within(1e-6f));
                    } else if (Math.abs(expected[row] - alone[row]) > 1e-4f) {
                        changedByContext++;
                    }
                }
                assertThat(changedByContext).as("rows whose score the context changed")
                        .isGreaterThan(expected.length / 2);
            }
            assertThat(report.lostMidway()).isNotNull();
        }
    }

    /** Every video's second half without text, as the evaluation's lost-midway case. */
    private static MultimodalDataset textLostMidway(MultimodalDataset data) {
        boolean[] secondHalf = new boolean[data.size()];
        for (int row = 0; row < data.size(); row++) {
            secondHalf[row] = row % VIDEO_LENGTH >= VIDEO_LENGTH / 2;
        }
        float[][] values = data.copyValues();
        float[][] masks = data.copyMasks();
        MissingnessProtocol.dropModalities(values, masks, secondHalf, STEPS, DIMS,
                MissingPattern.present(Modality.AUDIO, Modality.VISION).presenceFlags());
        return data.withInputs(values, masks);
    }
}
