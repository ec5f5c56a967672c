package io.hrlf.training.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.hrlf.contract.Modality;
import io.hrlf.training.data.FeatureNormalizer;
import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.training.data.SyntheticDataset;
import io.hrlf.training.missing.MissingnessProtocol;
import io.hrlf.training.train.TrainingOptions;
import io.hrlf.training.train.Variant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.junit.jupiter.api.Test;

/**
 * The mechanics HRLF depends on: every trainable variable receives a gradient from its own loss,
 * and each optimizer moves only its own variables (teacher frozen during distillation; the
 * discriminators and the student never update each other).
 */
class HrlfGraphTest {
    private static final int STEPS = 3;
    private static final int[] DIMS = {5, 4, 3};

    private static Map<String, float[]> snapshot(Session session, List<Variable<TFloat32>> variables) {
        Map<String, float[]> values = new HashMap<>();
        Session.Runner runner = session.runner();
        variables.forEach(runner::fetch);
        try (Result r = runner.run()) {
            for (int i = 0; i < variables.size(); i++) {
                TFloat32 t = (TFloat32) r.get(i);
                float[] copy = new float[(int) t.size()];
                t.copyTo(DataBuffers.of(copy, false, false));
                values.put(variables.get(i).op().name(), copy);
            }
        }
        return values;
    }

    private static List<String> changed(Map<String, float[]> before, Map<String, float[]> after) {
        List<String> names = new ArrayList<>();
        before.forEach((name, values) -> {
            if (!Arrays.equals(values, after.get(name))) {
                names.add(name);
            }
        });
        return names;
    }

    @Test
    void eachOptimizerMovesAllOfItsOwnVariablesAndNoneOfTheOthers() {
        MultimodalDataset data = SyntheticDataset.generate(64, STEPS, DIMS, 5);
        TrainingOptions options = TrainingOptions.defaults().withModelDim(8).withVariant(Variant.FULL);
        try (HrlfGraph graph = new HrlfGraph(STEPS, DIMS, FeatureNormalizer.fit(data), options);
             Session session = new Session(graph.graph)) {
            session.initialize();
            List<Variable<TFloat32>> student = new ArrayList<>(graph.studentParams.variables());
            student.addAll(graph.miParams.variables());
            List<Variable<TFloat32>> teacher = graph.teacherParams.variables();
            List<Variable<TFloat32>> discriminators = graph.discriminatorParams.variables();
            assertThat(student).hasSizeGreaterThan(40);
            assertThat(teacher).isNotEmpty();
            assertThat(discriminators).hasSize(3 * 4); // three two-layer discriminators, weight + bias each
            assertThat(graph.miParams.variables()).hasSize(3 * 4);

            float[][] values = data.copyValues();
            float[][] masks = data.copyMasks();
            float[][] degraded = data.copyValues();
            float[][] degradedMasks = data.copyMasks();
            MissingnessProtocol.trainingDefault().applyInPlace(degraded, degradedMasks, 64, STEPS, DIMS, new Random(1));
            int[] rows = IntStream.range(0, 64).toArray();

            List<Variable<TFloat32>> all = new ArrayList<>(student);
            all.addAll(teacher);
            all.addAll(discriminators);
            for (Op step : List.of(graph.teacherTrain, graph.discriminatorTrain, graph.studentTrain)) {
                Map<String, float[]> before = snapshot(session, all);
                try (FeedBatch feed = new FeedBatch(session)
                        .inputs(graph.studentInputs, graph.studentMasks, degraded, degradedMasks, rows, STEPS, DIMS)
                        .inputs(graph.teacherInputs, graph.teacherMasks, values, masks, rows, STEPS, DIMS)
                        .labels(graph.labels, data.labels(), rows)) {
                    feed.runner().addTarget(step).run().close();
                }
                Map<String, float[]> after = snapshot(session, all);
                after.forEach((name, v) -> {
                    for (float x : v) {
                        assertThat(Float.isFinite(x)).as("%s finite after %s", name, step.op().name()).isTrue();
                    }
                });
                List<String> moved = changed(before, after);
                List<Variable<TFloat32>> own = step == graph.teacherTrain ? teacher
                        : step == graph.discriminatorTrain ? discriminators : student;
                List<String> ownNames = own.stream().map(v -> v.op().name()).toList();
                assertThat(moved).as("variables moved by %s", step.op().name())
                        .containsExactlyInAnyOrderElementsOf(ownNames);
            }
        }
    }

    @Test
    void unimodalPretrainingMovesOnlyEachModalitysEncoderAndHead() {
        MultimodalDataset data = SyntheticDataset.generate(64, STEPS, DIMS, 5);
        TrainingOptions options = TrainingOptions.defaults().withModelDim(8).withVariant(Variant.FULL)
                .withUnimodalPretrainEpochs(1);
        try (HrlfGraph graph = new HrlfGraph(STEPS, DIMS, FeatureNormalizer.fit(data), options);
             Session session = new Session(graph.graph)) {
            session.initialize();
            List<Variable<TFloat32>> all = new ArrayList<>(graph.studentParams.variables());
            all.addAll(graph.miParams.variables());
            all.addAll(graph.teacherParams.variables());
            int[] rows = IntStream.range(0, 64).toArray();
            Map<String, float[]> before = snapshot(session, all);
            try (FeedBatch feed = new FeedBatch(session)
                    .inputs(graph.studentInputs, graph.studentMasks, data.copyValues(), data.copyMasks(), rows, STEPS,
                            DIMS)
                    .labels(graph.labels, data.labels(), rows)) {
                feed.runner().addTarget(graph.unimodalPretrain).run().close();
            }
            List<String> moved = changed(before, snapshot(session, all));

            List<String> perModality = graph.studentParams.variables().stream().map(v -> v.op().name())
                    .filter(name -> Modality.ALL.stream().anyMatch(m -> name.startsWith("student_" + m.inputName() + "_")))
                    .toList();
            assertThat(moved).isNotEmpty().allMatch(perModality::contains);
            for (Modality m : Modality.ALL) {
                assertThat(moved).as("%s head", m).contains("student_" + m.inputName() + HrlfBranch.UNIMODAL_HEAD + "_w");
                assertThat(moved).as("%s encoder", m)
                        .anyMatch(name -> name.startsWith("student_" + m.inputName() + "_") && !name.contains("_uni_"));
            }
            // the fusion stack and the regression head wait for the student's own epochs
            assertThat(graph.studentParams.variables().size()).isGreaterThan(moved.size());
        }
    }

    @Test
    void variantsWithoutATeacherBuildNoTeacherHmiOrHal() {
        MultimodalDataset data = SyntheticDataset.generate(16, STEPS, DIMS, 5);
        TrainingOptions options = TrainingOptions.defaults().withModelDim(8).withVariant(Variant.DROPOUT);
        try (HrlfGraph graph = new HrlfGraph(STEPS, DIMS, FeatureNormalizer.fit(data), options)) {
            assertThat(graph.teacher).isNull();
            assertThat(graph.teacherTrain).isNull();
            assertThat(graph.discriminatorTrain).isNull();
            assertThat(graph.mutualInformation).isNull();
            assertThat(graph.student.frfLoss).isNull();
        }
    }
}
