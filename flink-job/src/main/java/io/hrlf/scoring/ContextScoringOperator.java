package io.hrlf.scoring;

import io.hrlf.context.ContextState;
import io.hrlf.context.ContextStateSerializer;
import io.hrlf.contract.ContextSpec;
import io.hrlf.metrics.HrlfMetrics;
import io.hrlf.model.ComputeDevice;
import io.hrlf.model.ContextBatch;
import io.hrlf.model.ContextScores;
import io.hrlf.model.SentimentModel;
import io.hrlf.model.SharedModels;
import io.hrlf.window.AssembledWindow;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scorer of a model with context (keyed by participant): each window is scored with the
 * representations its participant's earlier windows left ({@link ContextState}, keyed state), and
 * its own representation is remembered for the windows after it.
 *
 * <p>Ordering against batching: a participant's window needs its predecessor's representation, so
 * the two can never share a TensorFlow call, while windows of different participants can. Windows
 * wait here, per participant in arrival order, and a flush scores them in rounds: each round takes
 * the oldest waiting window of every participant (batched across participants, at most the batch
 * size per call), and applies each result to its participant's state before the next round. A
 * flush happens when the batch size is reached, when the batch max wait has passed, before a
 * watermark is forwarded (a watermark is what fires windows, so the windows it fired form one
 * batch and their scores stay ahead of it), before a checkpoint barrier and at end of input. So
 * nothing is in flight at a checkpoint: the state holds everything, and nothing else needs
 * checkpointing. The TensorFlow call runs on the task thread; a hung call therefore stalls the task
 * (and fails its checkpoints) instead of becoming a SCORING_TIMED_OUT dead letter as in the
 * asynchronous scorer of models without context.
 *
 * <p>State lifetime: each scored window pushes its participant's expiry to the window's end plus
 * the state TTL (one event-time timer per participant, the previous one deleted); when the
 * watermark passes it, the participant's state is cleared.
 */
public class ContextScoringOperator extends AbstractStreamOperator<ScoringOutcome>
        implements OneInputStreamOperator<AssembledWindow, ScoringOutcome>, Triggerable<String, VoidNamespace> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ContextScoringOperator.class);
    /** Participants whose context was dropped after the state TTL, under hrlf. */
    public static final String CONTEXTS_EXPIRED_METRIC = "contextsExpired";

    private final String modelDirectory;
    private final int steps;
    private final int[] dims;
    private final ContextSpec spec;
    private final ScorerSettings settings;
    private final long stateTtlMillis;
    private final WindowTranslator translator;

    private transient SharedModels.Lease lease;
    private transient ValueState<ContextState> context;
    private transient InternalTimerService<VoidNamespace> expiry;
    /** Windows waiting to be scored, per participant key in arrival order; empty at every checkpoint. */
    private transient Map<String, ArrayDeque<Waiting>> waiting;
    private transient int waitingCount;
    /** The pending batch-max-wait flush, null when none is; cancelled by a flush for any other reason. */
    private transient ScheduledFuture<?> flushTimer;
    /** When {@link #flushTimer} fires. */
    private transient long flushTimerAt;
    private transient ScoredWindowMetrics metrics;
    private transient Counter contextsExpired;
    private transient TypeSerializer<AssembledWindow> windowSerializer;

    public ContextScoringOperator(String modelDirectory, int steps, int[] dims, ContextSpec spec,
                                  ScorerSettings settings, long stateTtlMillis) {
        if (stateTtlMillis <= 0) {
            throw new IllegalArgumentException("the context state TTL must be positive, is " + stateTtlMillis + " ms");
        }
        this.modelDirectory = modelDirectory;
        this.steps = steps;
        this.dims = dims.clone();
        this.spec = spec;
        this.settings = settings;
        this.stateTtlMillis = stateTtlMillis;
        this.translator = new WindowTranslator(steps, dims, settings.neutralBand());
    }

    /** A window waiting to be scored, with its participant's key and its record's timestamp. */
    private record Waiting(String key, AssembledWindow window, long timestamp, boolean hasTimestamp) {}

    @Override
    public void open() throws Exception {
        super.open();
        String gpuResource = settings.gpuResource();
        ComputeDevice device = ScorerPlacement.device(gpuResource, gpuResource == null ? Set.of()
                : getRuntimeContext().getExternalResourceInfos(gpuResource));
        lease = SharedModels.acquire(Path.of(modelDirectory), steps, dims, device);
        if (!spec.equals(lease.model().context().orElse(null))) {
            throw new ScoringException("model at " + modelDirectory + " declares context "
                    + lease.model().context().orElse(null) + ", the job was built for " + spec);
        }
        context = getPartitionedState(new ValueStateDescriptor<>("context", ContextStateSerializer.INSTANCE));
        expiry = getInternalTimerService("context-expiry", VoidNamespaceSerializer.INSTANCE, this);
        waiting = new LinkedHashMap<>();
        MetricGroup metricGroup = getRuntimeContext().getMetricGroup();
        metrics = new ScoredWindowMetrics(metricGroup, modelDirectory, LOG);
        contextsExpired = HrlfMetrics.group(metricGroup).counter(CONTEXTS_EXPIRED_METRIC);
        // Flink's POJO copy is deep and follows the class: a field added to AssembledWindow is copied too
        windowSerializer = TypeInformation.of(AssembledWindow.class)
                .createSerializer(getExecutionConfig().getSerializerConfig());
    }

    @Override
    public void processElement(StreamRecord<AssembledWindow> record) throws Exception {
        // copied: with object reuse the record's window may be reused once this call returns
        AssembledWindow window = windowSerializer.copy(record.getValue());
        String key = (String) getCurrentKey();
        waiting.computeIfAbsent(key, k -> new ArrayDeque<>())
                .add(new Waiting(key, window, record.getTimestamp(), record.hasTimestamp()));
        waitingCount++;
        if (waitingCount >= settings.batchSize()) {
            flush();
        } else if (flushTimer == null) {
            flushTimerAt = getProcessingTimeService().getCurrentProcessingTime() + settings.batchMaxWait().toMillis();
            flushTimer = getProcessingTimeService().registerTimer(flushTimerAt, this::onFlushTimer);
        }
    }

    private void onFlushTimer(long time) throws Exception {
        // a timer that fired just before its cancellation still runs (from the mailbox): only the pending one flushes
        if (flushTimer != null && time == flushTimerAt) {
            flushTimer = null;
            flush();
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    /**
     * Scores every waiting window, in rounds of at most one window per participant. Cancels the pending
     * max-wait timer: it was set for the first window of the batch just flushed, and left running it would
     * cut the next batch short, whenever it fired.
     */
    private void flush() throws Exception {
        if (flushTimer != null) {
            flushTimer.cancel(false);
            flushTimer = null;
        }
        while (waitingCount > 0) {
            List<Waiting> round = new ArrayList<>();
            for (Iterator<ArrayDeque<Waiting>> it = waiting.values().iterator(); it.hasNext(); ) {
                ArrayDeque<Waiting> queue = it.next();
                round.add(queue.poll());
                if (queue.isEmpty()) {
                    it.remove();
                }
            }
            waitingCount -= round.size();
            for (int from = 0; from < round.size(); from += settings.batchSize()) {
                scoreAndRemember(round.subList(from, Math.min(round.size(), from + settings.batchSize())));
            }
        }
    }

    /** One batch of windows of distinct participants: scored with retries, then each result applied in order. */
    private void scoreAndRemember(List<Waiting> batch) throws Exception {
        List<AssembledWindow> windows = new ArrayList<>(batch.size());
        // by identity: the retries' window-by-window fallback looks a window's context up again
        Map<AssembledWindow, List<float[]>> contextOf = new IdentityHashMap<>();
        // read once per window and updated in place below: with RocksDB every value() deserializes the state
        ContextState[] states = new ContextState[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            Waiting w = batch.get(i);
            windows.add(w.window());
            states[i] = stateOf(w.key());
            contextOf.put(w.window(), states[i] == null ? List.of() : states[i].before(w.window().windowStartMillis));
        }
        List<Result> results = BatchRetries.score(windows, settings, list -> scoreBatch(list, contextOf),
                (window, error) -> new Result(window, metrics.failed(window, error), null), metrics::retried, LOG);
        for (int i = 0; i < results.size(); i++) {
            // BatchRetries returns one result per window, in the windows' order
            Result result = results.get(i);
            Waiting w = batch.get(i);
            if (result.representation() != null) {
                remember(w.key(), states[i], result.window(), result.representation());
            }
            output.collect(w.hasTimestamp() ? new StreamRecord<>(result.outcome(), w.timestamp())
                    : new StreamRecord<>(result.outcome()));
        }
    }

    /** A window's outcome and, when it was scored, its representation to remember. */
    private record Result(AssembledWindow window, ScoringOutcome outcome, float[] representation) {}

    /** What the participant left so far, null for nothing usable (reads keyed state: switches the key). */
    private ContextState stateOf(String key) throws Exception {
        setCurrentKey(key);
        ContextState state = context.value();
        if (state != null && state.dimension() != spec.dimension()) {
            // restored from a model with another d_c: its representations mean nothing to this model
            LOG.warn("Dropping the context of {}: it holds d_c={}, the model reads d_c={}", key,
                    state.dimension(), spec.dimension());
            context.clear();
            return null;
        }
        return state;
    }

    private List<Result> scoreBatch(List<AssembledWindow> windows, Map<AssembledWindow, List<float[]>> contextOf) {
        SentimentModel model = lease.model();
        String modelVersion = model.metadata().modelVersion();
        ContextBatch contextBatch = ContextBatch.empty(windows.size(), spec);
        for (int row = 0; row < windows.size(); row++) {
            contextBatch.setRow(row, contextOf.get(windows.get(row)));
        }
        long started = System.nanoTime();
        ContextScores scores = model.predict(translator.toModelInput(windows), contextBatch);
        translator.requireUsableOutput(windows, scores.scores(), modelVersion);
        float[][] representations = new float[windows.size()][];
        for (int row = 0; row < windows.size(); row++) {
            representations[row] = scores.representation(row);
            for (float v : representations[row]) {
                if (!Float.isFinite(v)) {
                    throw new ScoringException("model " + modelVersion + " returned a representation with " + v
                            + " for " + windows.get(row));
                }
            }
        }
        metrics.batchScored(windows.size(), started);
        long now = System.currentTimeMillis();
        List<Result> out = new ArrayList<>(windows.size());
        for (int row = 0; row < windows.size(); row++) {
            AssembledWindow window = windows.get(row);
            out.add(new Result(window, ScoringOutcome.scored(translator.toScore(window, scores.scores()[row],
                    modelVersion, now)), representations[row]));
            metrics.windowScored(window, now);
        }
        return out;
    }

    /**
     * Stores the window's representation in {@code state} (what {@link #stateOf} read for this window, or
     * null) and pushes the participant's expiry past this window.
     */
    private void remember(String key, ContextState state, AssembledWindow window, float[] representation)
            throws Exception {
        setCurrentKey(key);
        if (state == null) {
            state = new ContextState(spec.dimension());
        }
        state.remember(window.windowStartMillis, representation, spec.windows());
        long expiresAt = Math.max(state.expiresAt(), window.windowEndMillis + stateTtlMillis);
        if (expiresAt != state.expiresAt()) {
            if (state.expiresAt() != Long.MIN_VALUE) {
                expiry.deleteEventTimeTimer(VoidNamespace.INSTANCE, state.expiresAt());
            }
            expiry.registerEventTimeTimer(VoidNamespace.INSTANCE, expiresAt);
            state.expiresAt(expiresAt);
        }
        context.update(state);
    }

    /** The participant went quiet for the state TTL (or left): forget it. */
    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        ContextState state = context.value();
        if (state != null && state.expiresAt() == timer.getTimestamp()) {
            context.clear();
            contextsExpired.inc();
        }
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
        // no keyed processing-time timers are registered
    }

    @Override
    public void close() throws Exception {
        try {
            super.close();
        } finally {
            if (lease != null) {
                lease.close();
            }
        }
    }
}
