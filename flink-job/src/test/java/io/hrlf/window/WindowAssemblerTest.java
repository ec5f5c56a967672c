package io.hrlf.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.hrlf.avro.DeadLetter;
import io.hrlf.avro.FeatureChunk;
import io.hrlf.contract.Modality;
import io.hrlf.ingest.FeatureChunkValidator;
import io.hrlf.ingest.RejectReason;
import io.hrlf.ingest.ValidatedChunk;
import io.hrlf.wire.WireFormat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The window assembler through Flink's keyed operator harness: binning, masks, lateness, cleanup.
 * Chunks reach it through the job's {@link FeatureChunkValidator}, as in the job; after every test
 * all windows are expired and no state or timer may be left behind for any key.
 */
class WindowAssemblerTest {
    private static final int STEPS = 4;
    private static final int[] DIMS = {2, 1, 3};
    private static final FeatureChunkValidator VALIDATOR = new FeatureChunkValidator(DIMS, 64, 1000,
            Duration.ofMinutes(1), Clock.systemUTC());

    private KeyedOneInputStreamOperatorTestHarness<String, ValidatedChunk, AssembledWindow> harness;

    private void open(long size, long slide, long lateness) throws Exception {
        harness = newHarness(size, slide, lateness);
        harness.open();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ValidatedChunk, AssembledWindow> newHarness(
            long size, long slide, long lateness) throws Exception {
        WindowAssembler assembler = new WindowAssembler(new WindowSpec(size, slide, lateness, STEPS, DIMS));
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(assembler),
                ValidatedChunk::participantKeyString, Types.STRING);
    }

    @AfterEach
    void leavesNothingBehindAndCloses() throws Exception {
        if (harness != null) {
            harness.processWatermark(Long.MAX_VALUE);
            assertThat(harness.numKeyedStateEntries()).as("keyed state left after every window expired").isZero();
            assertThat(harness.numEventTimeTimers()).as("timers left after every window expired").isZero();
            harness.close();
        }
    }

    /** The chunk as the validator hands it on; fails the test if the validator refuses it. */
    static ValidatedChunk validated(FeatureChunk chunk) {
        FeatureChunkValidator.Result result = VALIDATOR.validate(chunk, Modality.valueOf(chunk.getModality().name()));
        assertThat(result).as("validating %s", chunk).isInstanceOf(ValidatedChunk.class);
        return (ValidatedChunk) result;
    }

    /** Chunks of a stream carry increasing sequence numbers; unique ones are never duplicates. */
    private static final java.util.concurrent.atomic.AtomicLong SEQUENCE = new java.util.concurrent.atomic.AtomicLong();

    /** One chunk whose frame f spans [starts[f], starts[f] + length) with all values equal to values[f]. */
    static FeatureChunk chunk(String participant, Modality modality, long length, long[] starts, float[] values) {
        int d = DIMS[modality.ordinal()];
        List<Long> frameStarts = new ArrayList<>();
        List<Long> frameEnds = new ArrayList<>();
        List<Float> flat = new ArrayList<>();
        for (int f = 0; f < starts.length; f++) {
            frameStarts.add(starts[f]);
            frameEnds.add(starts[f] + length);
            for (int j = 0; j < d; j++) {
                flat.add(values[f]);
            }
        }
        return FeatureChunk.newBuilder().setCallId("call").setParticipantId(participant)
                .setModality(io.hrlf.avro.Modality.valueOf(modality.name())).setSequenceNumber(SEQUENCE.getAndIncrement())
                .setProducerTimestampMillis(Instant.EPOCH).setDimension(d)
                .setFrameStartMillis(frameStarts).setFrameEndMillis(frameEnds).setValues(flat).build();
    }

    private void send(FeatureChunk chunk) throws Exception {
        List<Long> ends = chunk.getFrameEndMillis();
        harness.processElement(new StreamRecord<>(validated(chunk), ends.get(ends.size() - 1)));
    }

    private List<AssembledWindow> output() {
        return harness.extractOutputValues();
    }

    @Test
    void binsFramesIntoStepsAndMarksAMissingModality() throws Exception {
        open(1000, 1000, 0);
        // 250 ms bins. Text: two frames in bin 0 (mean 2), one frame spanning bins 1-2, nothing in bin 3.
        send(chunk("p1", Modality.TEXT, 100, new long[] {0, 100}, new float[] {1, 3}));
        send(chunk("p1", Modality.TEXT, 300, new long[] {300}, new float[] {5}));
        // Audio: one frame in bin 3. Vision: nothing at all.
        send(chunk("p1", Modality.AUDIO, 50, new long[] {900}, new float[] {-1}));
        assertThat(output()).isEmpty();

        harness.processWatermark(999);
        assertThat(output()).hasSize(1);
        AssembledWindow w = output().get(0);
        assertThat(w.callId).isEqualTo("call");
        assertThat(w.participantId).isEqualTo("p1");
        assertThat(w.windowStartMillis).isZero();
        assertThat(w.windowEndMillis).isEqualTo(1000);
        assertThat(w.revision).isZero();
        assertThat(w.values[Modality.TEXT.ordinal()]).containsExactly(2, 2, 5, 5, 5, 5, 0, 0);
        assertThat(w.masks[Modality.TEXT.ordinal()]).containsExactly(1, 1, 1, 0);
        assertThat(w.values[Modality.AUDIO.ordinal()]).containsExactly(0, 0, 0, -1);
        assertThat(w.masks[Modality.AUDIO.ordinal()]).containsExactly(0, 0, 0, 1);
        assertThat(w.masks[Modality.VISION.ordinal()]).containsExactly(0, 0, 0, 0);
        assertThat(w.values[Modality.VISION.ordinal()]).containsOnly(0f);
        assertThat(w.frames).containsExactly(3, 1, 0);
        assertThat(w.missingPattern().code()).isEqualTo("l,a");
        assertThat(w.completeness).containsExactly(0.75f, 0.25f, 0f);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aFrameSpanningTwoWindowsCountsInBoth() throws Exception {
        open(1000, 1000, 0);
        send(chunk("p1", Modality.VISION, 200, new long[] {900}, new float[] {4}));
        harness.processWatermark(1999);
        List<AssembledWindow> out = output();
        assertThat(out).extracting(w -> w.windowStartMillis).containsExactly(0L, 1000L);
        assertThat(out.get(0).masks[Modality.VISION.ordinal()]).containsExactly(0, 0, 0, 1);
        assertThat(out.get(1).masks[Modality.VISION.ordinal()]).containsExactly(1, 0, 0, 0);
        assertThat(out.get(1).values[Modality.VISION.ordinal()]).startsWith(4, 4, 4, 0);
    }

    @Test
    void slidingWindowsEachGetTheFramesTheyContain() throws Exception {
        open(1000, 500, 0);
        send(chunk("p1", Modality.TEXT, 20, new long[] {700}, new float[] {1}));
        harness.processWatermark(1499);
        List<AssembledWindow> out = output();
        // windows [0,1000) and [500,1500) hold the frame at 700
        assertThat(out).extracting(w -> w.windowStartMillis).containsExactly(0L, 500L);
        assertThat(out.get(0).masks[Modality.TEXT.ordinal()]).containsExactly(0, 0, 1, 0);
        assertThat(out.get(1).masks[Modality.TEXT.ordinal()]).containsExactly(1, 0, 0, 0);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void framesWithinTheAllowedLatenessRefireTheWindow() throws Exception {
        open(1000, 1000, 500);
        send(chunk("p1", Modality.TEXT, 100, new long[] {0}, new float[] {1}));
        harness.processWatermark(1200); // window [0,1000) fired, still open for late frames
        assertThat(output()).hasSize(1);
        assertThat(output().get(0).missingPattern().code()).isEqualTo("l");

        send(chunk("p1", Modality.AUDIO, 100, new long[] {600}, new float[] {2}));
        assertThat(output()).hasSize(2);
        AssembledWindow refired = output().get(1);
        assertThat(refired.revision).isEqualTo(1);
        assertThat(refired.missingPattern().code()).isEqualTo("l,a");
        assertThat(harness.getSideOutput(WindowAssembler.LATE_FRAMES)).isNullOrEmpty();

        harness.processWatermark(1499);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(output()).hasSize(2);
    }

    @Test
    void framesPastTheAllowedLatenessGoToTheSideOutput() throws Exception {
        open(1000, 1000, 500);
        send(chunk("p1", Modality.TEXT, 100, new long[] {0}, new float[] {1}));
        send(chunk("p1", Modality.TEXT, 100, new long[] {2000}, new float[] {1}));
        harness.processWatermark(1600);
        assertThat(output()).hasSize(1);

        send(chunk("p1", Modality.AUDIO, 100, new long[] {100, 200}, new float[] {2, 3}));
        ConcurrentLinkedQueue<StreamRecord<LateFrames>> late = harness.getSideOutput(WindowAssembler.LATE_FRAMES);
        assertThat(late).hasSize(1);
        LateFrames frames = late.peek().getValue();
        assertThat(frames.modality).isEqualTo("audio");
        assertThat(frames.frames).isEqualTo(2);
        assertThat(frames.firstFrameStartMillis).isEqualTo(100);
        assertThat(frames.lastFrameEndMillis).isEqualTo(300);
        assertThat(output()).as("the closed window is not re-scored").hasSize(1);

        harness.processWatermark(Long.MAX_VALUE);
        assertThat(output()).extracting(w -> w.windowStartMillis).containsExactly(0L, 2000L);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void participantsAreIndependentAndLeaveNothingBehind() throws Exception {
        open(1000, 1000, 200);
        for (String p : List.of("a", "b", "c")) {
            send(chunk(p, Modality.TEXT, 100, new long[] {0, 1000, 2000}, new float[] {1, 1, 1}));
        }
        send(chunk("b", Modality.AUDIO, 100, new long[] {1000}, new float[] {1}));
        assertThat(harness.numEventTimeTimers()).isEqualTo(3 * 3 * 2);
        harness.processWatermark(Long.MAX_VALUE);
        assertThat(output()).hasSize(9);
        assertThat(output()).filteredOn(w -> w.participantId.equals("b") && w.windowStartMillis == 1000)
                .singleElement().extracting(w -> w.missingPattern().code()).isEqualTo("l,a");
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void openWindowsAndTheirTimersSurviveACheckpoint() throws Exception {
        open(1000, 1000, 0);
        send(chunk("p1", Modality.TEXT, 100, new long[] {0, 100}, new float[] {1, 3}));
        OperatorSubtaskState checkpoint = harness.snapshot(1L, 1L);
        harness.close();

        harness = newHarness(1000, 1000, 0);
        harness.initializeState(checkpoint);
        harness.open();
        assertThat(harness.numEventTimeTimers()).as("timers restored").isEqualTo(1);
        send(chunk("p1", Modality.AUDIO, 50, new long[] {900}, new float[] {-1}));
        harness.processWatermark(999);

        assertThat(output()).hasSize(1);
        AssembledWindow w = output().get(0);
        assertThat(w.values[Modality.TEXT.ordinal()]).containsExactly(2, 2, 0, 0, 0, 0, 0, 0);
        assertThat(w.masks[Modality.AUDIO.ordinal()]).containsExactly(0, 0, 0, 1);
        assertThat(w.frames).containsExactly(2, 1, 0);
        assertThat(w.revision).isZero();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aChunkOfTheWrongShapeCannotReachTheAssembler() {
        FeatureChunk wrongDimension = chunk("p1", Modality.TEXT, 100, new long[] {0}, new float[] {1});
        wrongDimension.setDimension(DIMS[Modality.TEXT.ordinal()] + 1);
        FeatureChunk backwards = chunk("p1", Modality.AUDIO, 100, new long[] {500}, new float[] {1});
        backwards.setFrameEndMillis(List.of(400L));
        // the assembler takes ValidatedChunks only, and the validator makes none of these
        assertThat(VALIDATOR.validate(wrongDimension, Modality.TEXT)).isInstanceOfSatisfying(
                FeatureChunkValidator.Rejection.class,
                r -> assertThat(r.reason()).isEqualTo(RejectReason.DIMENSION_MISMATCH));
        assertThat(VALIDATOR.validate(backwards, Modality.AUDIO)).isInstanceOfSatisfying(
                FeatureChunkValidator.Rejection.class,
                r -> assertThat(r.reason()).isEqualTo(RejectReason.INVALID_FRAME_TIME));
    }

    @Test
    void aWindowWhoseFirstFrameArrivesLateButWithinTheLatenessIsScoredOnce() throws Exception {
        open(1000, 1000, 500);
        send(chunk("p1", Modality.TEXT, 100, new long[] {1000}, new float[] {1}));
        harness.processWatermark(1100); // [0,1000) never had a frame, so nothing fired
        assertThat(output()).isEmpty();

        send(chunk("p1", Modality.VISION, 100, new long[] {300}, new float[] {2}));
        assertThat(output()).hasSize(1);
        assertThat(output().get(0).windowStartMillis).isZero();
        assertThat(output().get(0).revision).as("its first firing").isZero();
        assertThat(output().get(0).missingPattern().code()).isEqualTo("v");

        harness.processWatermark(Long.MAX_VALUE);
        assertThat(output()).extracting(w -> w.windowStartMillis).containsExactly(0L, 1000L);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aReDeliveredChunkIsDeadLetteredAndItsFramesAreNotCountedTwice() throws Exception {
        open(1000, 1000, 500);
        FeatureChunk chunk = chunk("p1", Modality.TEXT, 100, new long[] {0, 300}, new float[] {1, 3});
        send(chunk);
        send(chunk); // a producer retry: same stream, same sequence number
        // the same sequence number in another modality's stream is not a duplicate
        send(FeatureChunk.newBuilder(chunk("p1", Modality.AUDIO, 100, new long[] {600}, new float[] {2}))
                .setSequenceNumber(chunk.getSequenceNumber()).build());

        harness.processWatermark(999);
        AssembledWindow w = output().get(0);
        assertThat(w.frames).as("the copy added nothing").containsExactly(2, 1, 0);
        ConcurrentLinkedQueue<StreamRecord<DeadLetter>> duplicates = harness.getSideOutput(WindowAssembler.DUPLICATE_CHUNKS);
        assertThat(duplicates).hasSize(1);
        DeadLetter letter = duplicates.peek().getValue();
        assertThat(letter.getReason()).isEqualTo(RejectReason.DUPLICATE_SEQUENCE.name());
        assertThat(letter.getSourceTopic()).isEqualTo(WindowAssembler.DUPLICATE_SOURCE);
        assertThat(WireFormat.decodeFeatureChunk(WireFormat.featureChunkDecoder(), letter.getValue().array())).isEqualTo(chunk);

        harness.processWatermark(1499);
        assertThat(harness.numKeyedStateEntries()).as("what dedup remembered is gone with the window").isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        send(chunk);
        assertThat(duplicates).as("a copy after cleanup is late, not a duplicate").hasSize(1);
        assertThat(harness.getSideOutput(WindowAssembler.LATE_FRAMES)).hasSize(1);
    }
}
