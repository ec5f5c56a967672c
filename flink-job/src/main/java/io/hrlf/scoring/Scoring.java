package io.hrlf.scoring;

import io.hrlf.avro.DeadLetter;
import io.hrlf.avro.SentimentScore;
import io.hrlf.context.ContextOptions;
import io.hrlf.contract.ModelMetadata;
import io.hrlf.contract.ParticipantKey;
import io.hrlf.window.AssembledWindow;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.graph.StreamGraphGenerator;
import org.apache.flink.util.MathUtils;
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
        Optional<Integer> ownParallelism = config.getOptional(ScoringOptions.PARALLELISM);
        // A scorer with its own parallelism cannot be chained to the windows: each participant's windows
        // go to one scorer subtask, so its scores keep their order.
        DataStream<AssembledWindow> toScore = ownParallelism.isPresent()
                ? windows.partitionCustom(Scoring::partition, window -> window.participantKey().toString()) : windows;
        SingleOutputStreamOperator<ScoringOutcome> outcomes = AsyncDataStream.orderedWait(toScore, scorer,
                        config.get(ScoringOptions.ASYNC_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS,
                        config.get(ScoringOptions.ASYNC_CAPACITY))
                .uid("hrlf-scorer")
                .name("Score windows (HRLF student, TF Java)");
        return placeAndRoute(outcomes, config);
    }

    /**
     * Attaches the scorer of a model with context ({@link ContextScoringOperator}): keyed by participant,
     * because each participant's remembered representations are keyed state; the rest (own parallelism,
     * slot-sharing group, routing of failed windows) as for {@link #attach}.
     */
    public static SingleOutputStreamOperator<SentimentScore> attachWithContext(DataStream<AssembledWindow> windows,
                                                                               String modelDirectory,
                                                                               ModelMetadata metadata,
                                                                               ReadableConfig config) {
        ContextScoringOperator scorer = new ContextScoringOperator(modelDirectory, metadata.steps(),
                metadata.dimensionsInOrder(), metadata.context(), ScorerSettings.from(config),
                config.get(ContextOptions.STATE_TTL).toMillis());
        SingleOutputStreamOperator<ScoringOutcome> outcomes = windows
                .keyBy(window -> window.participantKey().toString(), Types.STRING)
                .transform("Score windows with context (HRLF student, TF Java)",
                        TypeInformation.of(ScoringOutcome.class), scorer)
                .uid("hrlf-context-scorer");
        return placeAndRoute(outcomes, config);
    }

    /**
     * Either scorer's slots and parallelism ({@link ScorerPlacement}, {@link ScoringOptions#PARALLELISM}),
     * and the router that splits its outcomes into scores and failed windows.
     */
    private static SingleOutputStreamOperator<SentimentScore> placeAndRoute(
            SingleOutputStreamOperator<ScoringOutcome> outcomes, ReadableConfig config) {
        Optional<Integer> ownParallelism = config.getOptional(ScoringOptions.PARALLELISM);
        ScorerPlacement.slotSharingGroup(config).ifPresent(outcomes::slotSharingGroup);
        ownParallelism.ifPresent(outcomes::setParallelism);
        if (ownParallelism.isEmpty()) {
            SingleOutputStreamOperator<SentimentScore> scores = outcomes.process(new ScoringOutcomeRouter())
                    .uid("hrlf-score-router")
                    .name("Route scores and failed windows");
            ScorerPlacement.slotSharingGroup(config).ifPresent(scores::slotSharingGroup);
            return scores;
        }
        // Back to the job's parallelism and default slots, still by participant: the sinks downstream inherit
        // this group, so they never ask for the scorer's (GPU) slots.
        return outcomes
                .partitionCustom(Scoring::partition, Scoring::participantKey)
                .process(new ScoringOutcomeRouter())
                .uid("hrlf-score-router")
                .name("Route scores and failed windows")
                .slotSharingGroup(StreamGraphGenerator.DEFAULT_SLOT_SHARING_GROUP);
    }

    private static int partition(String participantKey, int partitions) {
        return MathUtils.murmurHash(participantKey.hashCode()) % partitions;
    }

    /** Scores by participant; failed windows (dead letters, unordered) all under one key. */
    private static String participantKey(ScoringOutcome outcome) {
        return outcome.isScored()
                ? new ParticipantKey(outcome.score.getCallId(), outcome.score.getParticipantId()).toString() : "";
    }
}
