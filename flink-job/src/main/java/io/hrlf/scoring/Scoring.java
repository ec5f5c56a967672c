package io.hrlf.scoring;

import io.hrlf.avro.DeadLetter;
import io.hrlf.avro.SentimentScore;
import io.hrlf.contract.ModelMetadata;
import io.hrlf.window.AssembledWindow;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.OutputTag;

/**
 * Puts the batched scorer behind Flink's async I/O, which checkpoints the windows in flight. The
 * returned stream carries the scores; windows the model could not score are its side output
 * {@link #FAILED_WINDOWS}, as dead letters.
 */
public final class Scoring {
    /** Windows that failed inference on every retry (reason INFERENCE_FAILED), for the dead-letter sink. */
    public static final OutputTag<DeadLetter> FAILED_WINDOWS = ScoringOutcomeRouter.FAILED_WINDOWS;

    private Scoring() {}

    /**
     * Attaches the scorer for the model in {@code modelDirectory}, taking T and the dimensions from the
     * model's metadata (the scorer's {@code open} checks them again against the SavedModel).
     */
    public static SingleOutputStreamOperator<SentimentScore> attach(DataStream<AssembledWindow> windows,
                                                                    String modelDirectory, ReadableConfig config) {
        ModelMetadata metadata = ModelMetadata.read(Path.of(modelDirectory));
        return attach(windows, modelDirectory, metadata.steps(), metadata.dimensionsInOrder(), config);
    }

    /**
     * Ordered mode: a window's revisions and a participant's windows leave in the order they arrived,
     * which consumers of the score topic can rely on; batches run serially per subtask anyway, so
     * unordered mode would buy little.
     */
    public static SingleOutputStreamOperator<SentimentScore> attach(DataStream<AssembledWindow> windows,
                                                                    String modelDirectory, int steps, int[] dims,
                                                                    ReadableConfig config) {
        ModelScoringFunction scorer = new ModelScoringFunction(modelDirectory, steps, dims, ScorerSettings.from(config));
        SingleOutputStreamOperator<ScoringOutcome> outcomes = AsyncDataStream.orderedWait(windows, scorer,
                        config.get(ScoringOptions.ASYNC_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS,
                        config.get(ScoringOptions.ASYNC_CAPACITY))
                .uid("hrlf-scorer")
                .name("Score windows (HRLF student, TF Java)");
        ScorerPlacement.slotSharingGroup(config).ifPresent(outcomes::slotSharingGroup);
        SingleOutputStreamOperator<SentimentScore> scores = outcomes.process(new ScoringOutcomeRouter())
                .uid("hrlf-score-router")
                .name("Route scores and failed windows");
        ScorerPlacement.slotSharingGroup(config).ifPresent(scores::slotSharingGroup);
        return scores;
    }
}
