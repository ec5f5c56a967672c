package io.hrlf.training.export;

import io.hrlf.contract.Modality;
import io.hrlf.contract.ModelMetadata;
import io.hrlf.contract.TensorContract;
import io.hrlf.training.model.HrlfGraph;
import java.io.IOException;
import java.nio.file.Path;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;

/**
 * Writes the student network of a trained {@link HrlfGraph} as the SavedModel of the tensor contract
 * (tag {@code serve}, signature {@code serving_default}: inputs text, text_mask, audio, audio_mask,
 * vision, vision_mask, output score) and the metadata file beside it.
 *
 * <p>The feature normalisation fitted on the training split is already part of the student graph
 * (constants applied to observed steps only, see {@code HrlfBranch}), so the export takes raw
 * features, exactly what the stream assembles. Only the ops the signature's outputs depend on are
 * reachable from it; the teacher, the losses and the optimizers are saved but never run in serving.
 */
public final class StudentExporter {
    private StudentExporter() {}

    public static void export(HrlfGraph graph, Session session, Path dir, ModelMetadata metadata) throws IOException {
        Signature.Builder signature = Signature.builder().key(TensorContract.SERVING_SIGNATURE);
        for (Modality m : Modality.ALL) {
            signature.input(m.inputName(), graph.studentInputs.get(m.ordinal()));
            signature.input(m.maskName(), graph.studentMasks.get(m.ordinal()));
        }
        signature.output(TensorContract.SCORE_OUTPUT, graph.student.servingScore);
        if (graph.studentContext != null) {
            // serving is fed the remembered representations themselves, not the training-time selection
            signature.input(TensorContract.CONTEXT_INPUT, graph.studentContext)
                    .input(TensorContract.CONTEXT_MASK_INPUT, graph.contextMask)
                    .output(TensorContract.REPRESENTATION_OUTPUT, graph.student.representation);
        }
        SavedModelBundle.exporter(dir.toString())
                .withTags(TensorContract.SERVING_TAG)
                .withFunction(SessionFunction.create(signature.build(), session))
                .export();
        metadata.write(dir);
    }
}
