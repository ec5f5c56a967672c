package io.hrlf.scoring;

import io.hrlf.ingest.RejectReason;
import io.hrlf.metrics.HrlfMetrics;
import io.hrlf.model.ComputeDevice;
import io.hrlf.model.ModelInput;
import io.hrlf.model.SentimentModel;
import io.hrlf.model.SharedModels;
import io.hrlf.window.AssembledWindow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores assembled windows with the HRLF student. Windows are grouped across participants by a
 * {@link MicroBatcher}, turned into the model's input and its output into scores by a
 * {@link WindowTranslator}, and scored in one TensorFlow call per batch; the model is shared by every
 * slot of the task manager through {@link SharedModels} and released in {@link #close()}.
 *
 * <p>Latency metrics: {@code hrlf.eventToScoreLatencyMs} is wall-clock score time minus
 * {@link AssembledWindow#firedAtMillis} (the wall-clock time the assembler closed the window), i.e.
 * queueing in async I/O, batching and inference; it is meaningful live and in replays. The lateness of
 * the event-time window itself is recorded separately as {@value HrlfMetrics#WINDOW_END_TO_SCORE_METRIC}
 * (score time minus window end), which is only meaningful when events arrive in real time.
 */
public class ModelScoringFunction extends RichAsyncFunction<AssembledWindow, ScoringOutcome> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ModelScoringFunction.class);

    private final String modelDirectory;
    private final int steps;
    private final int[] dims;
    private final ScorerSettings settings;
    private final WindowTranslator translator;

    private transient SharedModels.Lease lease;
    private transient MicroBatcher<AssembledWindow, ScoringOutcome> batcher;
    private transient ScoredWindowMetrics metrics;
    private transient Counter windowsTimedOut;

    public ModelScoringFunction(String modelDirectory, int steps, int[] dims, ScorerSettings settings) {
        this.modelDirectory = modelDirectory;
        this.steps = steps;
        this.dims = dims.clone();
        this.settings = settings;
        this.translator = new WindowTranslator(steps, dims, settings.neutralBand());
    }

    @Override
    public void open(OpenContext openContext) {
        String gpuResource = settings.gpuResource();
        ComputeDevice device = ScorerPlacement.device(gpuResource, gpuResource == null ? Set.of()
                : getRuntimeContext().getExternalResourceInfos(gpuResource));
        lease = SharedModels.acquire(Path.of(modelDirectory), steps, dims, device);
        MetricGroup metricGroup = getRuntimeContext().getMetricGroup();
        metrics = new ScoredWindowMetrics(metricGroup, modelDirectory, LOG);
        windowsTimedOut = HrlfMetrics.recordsRejected(metricGroup, RejectReason.SCORING_TIMED_OUT.name());
        String thread = "hrlf-scorer-" + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        batcher = new MicroBatcher<>(settings.batchSize(), settings.batchMaxWait(), this::scoreWithRetries, thread);
    }

    @Override
    public void asyncInvoke(AssembledWindow window, ResultFuture<ScoringOutcome> resultFuture) {
        batcher.submit(window).whenComplete((score, error) -> {
            if (error == null) {
                resultFuture.complete(List.of(score));
            } else {
                resultFuture.completeExceptionally(new ScoringException(
                        "scoring failed for " + window + " with model " + modelDirectory, error));
            }
        });
    }

    /**
     * Flink's async timeout: the window becomes a dead letter instead of failing the job. Failing it
     * would only restart the job into the same hung call, again and again; a late answer for this window
     * is ignored by Flink (a result future completes once).
     */
    @Override
    public void timeout(AssembledWindow window, ResultFuture<ScoringOutcome> resultFuture) {
        windowsTimedOut.inc();
        LOG.error("Window {} was not scored within {}; sending it to the dead-letter topic (if scoring is only slow, "
                + "raise {} or lower {})", window, ScoringOptions.ASYNC_TIMEOUT.key(), ScoringOptions.ASYNC_TIMEOUT.key(),
                ScoringOptions.BATCH_SIZE.key());
        resultFuture.complete(List.of(ScoringOutcome.failed(FailedWindows.timedOut(window, modelDirectory))));
    }

    /**
     * Runs on the batcher's thread; retries and the window-by-window fallback of {@link BatchRetries},
     * a window that fails alone becoming a dead letter.
     */
    private List<ScoringOutcome> scoreWithRetries(List<AssembledWindow> windows) {
        return BatchRetries.score(windows, settings, this::scoreBatch, metrics::failed, metrics::retried, LOG);
    }

    /** One TensorFlow call for the whole batch; throws, emitting nothing, if any window's score is unusable. */
    private List<ScoringOutcome> scoreBatch(List<AssembledWindow> windows) {
        SentimentModel model = lease.model();
        String modelVersion = model.metadata().modelVersion();
        ModelInput input = translator.toModelInput(windows);
        long started = System.nanoTime();
        float[] scores = model.predict(input);
        translator.requireUsableOutput(windows, scores, modelVersion);
        metrics.batchScored(windows.size(), started);

        long now = System.currentTimeMillis();
        List<ScoringOutcome> out = new ArrayList<>(windows.size());
        for (int row = 0; row < windows.size(); row++) {
            AssembledWindow window = windows.get(row);
            out.add(ScoringOutcome.scored(translator.toScore(window, scores[row], modelVersion, now)));
            metrics.windowScored(window, now);
        }
        return out;
    }

    @Override
    public void close() {
        boolean batcherStopped = batcher == null || batcher.close(MicroBatcher.DEFAULT_CLOSE_WAIT);
        if (lease == null) {
            return;
        }
        if (batcherStopped) {
            lease.close();
        } else {
            // Closing the model under a running TensorFlow call would free memory it still reads.
            LOG.error("A batch was still being scored {} after close; keeping model {} open (its memory is "
                    + "reclaimed when the task manager exits)", MicroBatcher.DEFAULT_CLOSE_WAIT, modelDirectory);
        }
    }
}
