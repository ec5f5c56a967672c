package io.hrlf.window;

import io.hrlf.avro.DeadLetter;
import io.hrlf.avro.FeatureChunk;
import io.hrlf.binning.BinAccumulator;
import io.hrlf.binning.TimeBins;
import io.hrlf.contract.Modality;
import io.hrlf.contract.ParticipantKey;
import io.hrlf.ingest.DeadLetters;
import io.hrlf.ingest.RejectReason;
import io.hrlf.ingest.ValidatedChunk;
import io.hrlf.metrics.HrlfMetrics;
import io.hrlf.wire.WireFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Joins one participant's three feature streams into event-time windows (keyed by
 * {@link ValidatedChunk#participantKeyString()}). Each frame of a chunk goes to every window it
 * overlaps and is binned into the window's T steps with the shared {@link TimeBins}/{@link BinAccumulator}
 * code, so a window reaches the model exactly as training data does. A modality with no frame in a
 * window keeps an all-zero mask: it is missing, and the window is still scored when the watermark
 * passes its end. It takes {@link ValidatedChunk}s only, so the chunk's shape needs no second check.
 *
 * <p>Lateness: a frame for a window that already fired, but whose allowed lateness has not passed,
 * updates the window and re-emits it at once with revision + 1. A frame too late for every window
 * it overlaps goes to {@link #LATE_FRAMES} and the framesLate metric. Each window's state and both
 * its timers are gone after its cleanup time, so nothing stays behind when a participant leaves.
 */
public class WindowAssembler extends KeyedProcessFunction<String, ValidatedChunk, AssembledWindow> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<LateFrames> LATE_FRAMES = new OutputTag<>("late-frames") {};
    /** Chunks whose (modality, sequence number) was already accepted for the participant: producer retries. */
    public static final OutputTag<DeadLetter> DUPLICATE_CHUNKS = new OutputTag<>("duplicate-chunks") {};
    /** {@code sourceTopic} of duplicate-chunk dead letters: the operator that refused them. */
    public static final String DUPLICATE_SOURCE = "hrlf-window-assembler";

    private final WindowSpec spec;

    private transient MapState<Long, WindowState> windows;
    /**
     * Chunks accepted while a window they fed can still change, by {@link #chunkId}, with the cleanup
     * time of the last such window: a re-delivered chunk (a producer retry) must not count its frames
     * twice. After that time a copy would be late for every window anyway, so the entry goes.
     */
    private transient MapState<Long, Long> acceptedChunks;
    private transient Counter duplicateChunks;
    private transient Counter[] framesLate;
    private transient float[] frameScratch;

    public WindowAssembler(WindowSpec spec) {
        this.spec = spec;
    }

    @Override
    public void open(OpenContext openContext) {
        windows = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("windows", LongSerializer.INSTANCE, WindowStateSerializer.INSTANCE));
        framesLate = new Counter[Modality.ALL.size()];
        for (Modality m : Modality.ALL) {
            framesLate[m.ordinal()] = HrlfMetrics.framesLate(getRuntimeContext().getMetricGroup(), m);
        }
        acceptedChunks = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("accepted-chunks", LongSerializer.INSTANCE, LongSerializer.INSTANCE));
        duplicateChunks = HrlfMetrics.recordsRejected(getRuntimeContext().getMetricGroup(),
                RejectReason.DUPLICATE_SEQUENCE.name());
        int maxDim = 0;
        for (int d : spec.dims()) {
            maxDim = Math.max(maxDim, d);
        }
        frameScratch = new float[maxDim];
    }

    /**
     * Refuses a re-delivered chunk, bins each frame into the open windows it overlaps, writes those
     * windows back (emitting the ones the watermark already passed), remembers the chunk for
     * de-duplication and reports the frames no window took.
     */
    @Override
    public void processElement(ValidatedChunk chunk, Context ctx, Collector<AssembledWindow> out) throws Exception {
        long chunkId = chunkId(chunk.modality(), chunk.chunk().getSequenceNumber());
        if (acceptedChunks.contains(chunkId)) {
            refuseDuplicate(chunk, ctx);
            return;
        }
        long watermark = ctx.timerService().currentWatermark();
        BinnedChunk binned = binFrames(chunk, watermark, ctx.timerService());
        if (!binned.touched.isEmpty()) {
            long lastCleanup = storeTouchedWindows(binned.touched, watermark, ctx.getCurrentKey(), out);
            acceptedChunks.put(chunkId, lastCleanup);
        }
        if (binned.late != null) {
            framesLate[chunk.modality().ordinal()].inc(binned.late.frames);
            ctx.output(LATE_FRAMES, binned.late);
        }
    }

    private void refuseDuplicate(ValidatedChunk chunk, Context ctx) {
        duplicateChunks.inc();
        ctx.output(DUPLICATE_CHUNKS, DeadLetters.refusedByOperator(DUPLICATE_SOURCE, chunk.participantKey(),
                WireFormat.encode(chunk.chunk()), RejectReason.DUPLICATE_SEQUENCE,
                chunk.modality().inputName() + " chunk " + chunk.chunk().getSequenceNumber() + " of "
                        + chunk.participantKey() + " was already accepted; its frames are not counted twice"));
    }

    /**
     * Adds every frame to each still-open window it overlaps. A window gets its two timers (firing and
     * cleanup) with its first frame. Frames no open window took are collected as late.
     */
    private BinnedChunk binFrames(ValidatedChunk validated, long watermark, TimerService timers) throws Exception {
        FeatureChunk chunk = validated.chunk();
        Modality modality = validated.modality();
        int d = spec.dims()[modality.ordinal()];
        List<Long> starts = chunk.getFrameStartMillis();
        List<Long> ends = chunk.getFrameEndMillis();
        List<Float> values = chunk.getValues();
        BinnedChunk binned = new BinnedChunk();
        for (int f = 0; f < starts.size(); f++) {
            long start = starts.get(f);
            long end = ends.get(f);
            for (int j = 0; j < d; j++) {
                frameScratch[j] = values.get(f * d + j);
            }
            if (!addFrameToOpenWindows(binned.touched, modality, start, end, watermark, timers)) {
                binned.late = addLate(binned.late, chunk, modality, start, end, watermark);
            }
        }
        return binned;
    }

    /** Adds the frame in {@link #frameScratch} to the open windows it overlaps; false when none took it. */
    private boolean addFrameToOpenWindows(Map<Long, OpenWindow> touched, Modality modality, long start, long end,
                                          long watermark, TimerService timers) throws Exception {
        boolean accepted = false;
        for (long w = spec.firstWindowStart(start); w <= spec.lastWindowStart(start, end); w += spec.slideMillis()) {
            if (spec.cleanupTime(w) <= watermark) {
                continue; // this window is closed for good
            }
            OpenWindow open = touched.get(w);
            if (open == null) {
                open = new OpenWindow(windows.get(w), new TimeBins(w, w + spec.sizeMillis(), spec.steps()));
            }
            WindowState state = open.state != null ? open.state : new WindowState(spec.steps(), spec.dims());
            if (state.accumulator(modality).add(open.bins, start, end, frameScratch, 0)) {
                if (open.state == null) {
                    // first frame of this window: it now exists, so it fires and is cleaned up
                    open.state = state;
                    timers.registerEventTimeTimer(spec.maxTimestamp(w));
                    timers.registerEventTimeTimer(spec.cleanupTime(w));
                }
                touched.put(w, open);
                accepted = true;
            }
        }
        return accepted;
    }

    /**
     * Writes each window the chunk touched back to state once (one state write per window, not per
     * frame: an audio chunk carries ~100 frames).
     *
     * @return the latest cleanup time of those windows
     */
    private long storeTouchedWindows(Map<Long, OpenWindow> touched, long watermark, String key,
                                     Collector<AssembledWindow> out) throws Exception {
        long lastCleanup = Long.MIN_VALUE;
        for (Map.Entry<Long, OpenWindow> entry : touched.entrySet()) {
            long w = entry.getKey();
            lastCleanup = Math.max(lastCleanup, spec.cleanupTime(w));
            WindowState state = entry.getValue().state;
            if (spec.maxTimestamp(w) <= watermark) {
                // The watermark already passed this window's end, so no timer will fire it again:
                // (re-)emit now, revision + 1 if it had fired before. emit() also stores the state.
                emit(key, w, state, out);
            } else {
                windows.put(w, state);
            }
        }
        return lastCleanup;
    }

    /** The windows one chunk touched, in first-touched order, and its frames too late for any window. */
    private static final class BinnedChunk {
        final Map<Long, OpenWindow> touched = new LinkedHashMap<>();
        LateFrames late;
    }

    /** Sequence numbers count per (call, participant, modality) stream; the key fixes the first two. */
    private static long chunkId(Modality modality, long sequenceNumber) {
        return sequenceNumber * Modality.ALL.size() + modality.ordinal();
    }

    /** A window touched by the chunk being processed: its state (null until a frame lands) and bins. */
    private static final class OpenWindow {
        WindowState state;
        final TimeBins bins;

        OpenWindow(WindowState state, TimeBins bins) {
            this.state = state;
            this.bins = bins;
        }
    }

    private static LateFrames addLate(LateFrames late, FeatureChunk chunk, Modality modality, long start, long end,
                                      long watermark) {
        if (late == null) {
            late = new LateFrames();
            late.callId = chunk.getCallId();
            late.participantId = chunk.getParticipantId();
            late.modality = modality.inputName();
            late.firstFrameStartMillis = start;
            late.lastFrameEndMillis = end;
            late.watermarkMillis = watermark;
        }
        late.frames++;
        late.firstFrameStartMillis = Math.min(late.firstFrameStartMillis, start);
        late.lastFrameEndMillis = Math.max(late.lastFrameEndMillis, end);
        return late;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AssembledWindow> out) throws Exception {
        // A timestamp can be one window's end and another's cleanup time (lateness a multiple of the slide).
        long firing = timestamp - spec.sizeMillis() + 1;
        WindowState state = windows.get(firing);
        if (state != null && !state.fired()) {
            emit(ctx.getCurrentKey(), firing, state, out);
        }
        long expiring = firing - spec.allowedLatenessMillis();
        if (windows.contains(expiring)) {
            windows.remove(expiring);
            forgetChunksExpiredAt(timestamp);
        }
    }

    private void forgetChunksExpiredAt(long timestamp) throws Exception {
        List<Long> expired = new ArrayList<>();
        for (Map.Entry<Long, Long> entry : acceptedChunks.entries()) {
            if (entry.getValue() <= timestamp) {
                expired.add(entry.getKey());
            }
        }
        // remove(key), not the iterator's remove: only the former drops the emptied map from the state backend
        for (Long chunkId : expired) {
            acceptedChunks.remove(chunkId);
        }
    }

    private void emit(String key, long windowStart, WindowState state, Collector<AssembledWindow> out) throws Exception {
        AssembledWindow window = new AssembledWindow();
        ParticipantKey participant = ParticipantKey.parse(key);
        window.callId = participant.callId();
        window.participantId = participant.participantId();
        window.windowStartMillis = windowStart;
        window.windowEndMillis = windowStart + spec.sizeMillis();
        window.revision = state.nextRevision();
        window.values = new float[Modality.ALL.size()][];
        window.masks = new float[Modality.ALL.size()][];
        window.frames = new int[Modality.ALL.size()];
        window.completeness = new float[Modality.ALL.size()];
        for (Modality m : Modality.ALL) {
            BinAccumulator acc = state.accumulator(m);
            int i = m.ordinal();
            window.values[i] = new float[spec.steps() * spec.dims()[i]];
            window.masks[i] = new float[spec.steps()];
            acc.writeMeans(window.values[i], 0);
            acc.writeMask(window.masks[i], 0);
            window.frames[i] = acc.frames();
            window.completeness[i] = acc.completeness();
        }
        window.firedAtMillis = System.currentTimeMillis();
        windows.put(windowStart, state);
        out.collect(window);
    }
}
