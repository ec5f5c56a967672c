package io.hrlf.training.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hrlf.contract.ModelMetadata;
import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.training.data.SyntheticDataset;
import io.hrlf.training.eval.EvaluationReport;
import io.hrlf.training.train.TrainingData;
import io.hrlf.training.train.TrainingListener;
import io.hrlf.training.train.TrainingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one export path writes a SavedModel whose metadata carries the options, dims and the returned report. */
class ModelExportTest {
    private static final int STEPS = 2;
    private static final int[] DIMS = {5, 3, 4};

    @Test
    void exportsTheStudentWithMetadataDescribingTheRun(@TempDir Path dir) throws Exception {
        MultimodalDataset train = SyntheticDataset.generate(120, STEPS, DIMS, 3);
        MultimodalDataset heldOut = SyntheticDataset.generate(40, STEPS, DIMS, 4);
        TrainingOptions options = TrainingOptions.defaults().withSeed(5).withEpochs(1).withModelDim(8);

        EvaluationReport report = ModelExport.trainAndExport(TrainingData.selectingOn(train, heldOut), heldOut,
                options, TrainingListener.SILENT, dir, "test-version");

        assertThat(dir.resolve("saved_model.pb")).exists();
        ModelMetadata metadata = ModelMetadata.read(dir);
        assertThat(metadata.modelVersion()).isEqualTo("test-version");
        assertThat(metadata.seed()).isEqualTo(5L);
        assertThat(metadata.steps()).isEqualTo(STEPS);
        assertThat(metadata.dimensions()).containsEntry("text", 5).containsEntry("audio", 3).containsEntry("vision", 4);
        assertThat(((Number) metadata.validationMetrics().get("avg_missing_f1")).doubleValue())
                .isCloseTo(report.avgMissingF1(), within(1e-12));
        assertThat(metadata.hyperparameters()).containsEntry("studentEpochs", 1);
    }

    @Test
    void withoutADirectoryItOnlyTrainsAndEvaluates(@TempDir Path dir) throws Exception {
        MultimodalDataset train = SyntheticDataset.generate(120, STEPS, DIMS, 3);
        MultimodalDataset heldOut = SyntheticDataset.generate(40, STEPS, DIMS, 4);
        EvaluationReport report = ModelExport.trainAndExport(TrainingData.selectingOn(train, heldOut), heldOut,
                TrainingOptions.defaults().withEpochs(1).withModelDim(8), TrainingListener.SILENT, null, null);
        assertThat(report.complete().n()).isEqualTo(heldOut.size());
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}
