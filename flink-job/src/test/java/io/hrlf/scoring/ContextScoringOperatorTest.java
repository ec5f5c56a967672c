package io.hrlf.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hrlf.contract.ContextSpec;
import io.hrlf.contract.Modality;
import io.hrlf.model.testing.TinyContractModel;
import io.hrlf.window.AssembledWindow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scorer of a model with context through Flink's keyed operator harness, on the test kit's real
 * tiny context SavedModel: every score is compared with the offline evaluation of the participant's
 * windows in event-time order ({@link TinyContractModel#expectedScoresInOrder}). After each test the
 * watermark passes every state TTL, and no keyed state or timer may be left for any participant.
 */
class ContextScoringOperatorTest {
    private static final int STEPS = 3;
    private static final int[] DIMS = {3, 2, 2};
    private static final int K = 2;
    private static final int DC = 3;
    private static final long WINDOW = 5_000;
    private static final long TTL = 60_000;
    private static final Duration MAX_WAIT = Duration.ofMillis(20);

    @TempDir
    static Path tmp;
    private static Path model;

    private KeyedOneInputStreamOperatorTestHarness<String, AssembledWindow, ScoringOutcome> harness;
    private final Random random = new Random(5);

    @BeforeAll
    static void exportModel() throws Exception {
        model = tmp.resolve("tiny-context");
        TinyContractModel.exportWithContext(model, STEPS, DIMS, K, DC, "tiny-ctx");
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, AssembledWindow, ScoringOutcome> newHarness(
            int batchSize) throws Exception {
        ScorerSettings settings = new ScorerSettings(batchSize, MAX_WAIT, 0.5f, null, 1, Duration.ofMillis(1));
        ContextScoringOperator operator = new ContextScoringOperator(model.toString(), STEPS, DIMS,
                ContextSpec.of(K, DC), settings, TTL);
        return new KeyedOneInputStreamOperatorTestHarness<>(operator, w -> w.participantKey().toString(), Types.STRING);
    }

    @AfterEach
    void leavesNothingBehindAndCloses() throws Exception {
        if (harness != null) {
            harness.processWatermark(Long.MAX_VALUE);
            assertThat(harness.numKeyedStateEntries()).as("context state left after every TTL passed").isZero();
            assertThat(harness.numEventTimeTimers()).as("timers left after every TTL passed").isZero();
            harness.close();
        }
    }

    /** A window of {@code participant} with random features for the {@code present} modalities. */
    private AssembledWindow window(String participant, int index, int revision, boolean... present) {
        AssembledWindow w = new AssembledWindow();
        w.callId = "call";
        w.participantId = participant;
        w.windowStartMillis = index * WINDOW;
        w.windowEndMillis = w.windowStartMillis + WINDOW;
        w.revision = revision;
        w.values = new float[3][];
        w.masks = new float[3][];
        w.frames = new int[3];
        w.completeness = new float[3];
        for (Modality m : Modality.ALL) {
            int i = m.ordinal();
            w.values[i] = new float[STEPS * DIMS[i]];
            w.masks[i] = new float[STEPS];
            boolean on = present.length == 0 || present[i];
            for (int t = 0; on && t < STEPS; t++) {
                w.masks[i][t] = 1f;
                for (int j = 0; j < DIMS[i]; j++) {
                    w.values[i][t * DIMS[i] + j] = (float) random.nextGaussian() * 0.4f;
                }
            }
            w.frames[i] = on ? STEPS : 0;
            w.completeness[i] = on ? 1f : 0f;
        }
        return w;
    }

    private static float[][][] input(AssembledWindow w) {
        return new float[][][] {w.values, w.masks};
    }

    private void send(AssembledWindow w) throws Exception {
        harness.processElement(new StreamRecord<>(w, w.windowEndMillis - 1));
    }

    /** Scores by participant, in emission order. */
    private Map<String, List<Float>> scoresByParticipant() {
        Map<String, List<Float>> out = new HashMap<>();
        for (ScoringOutcome outcome : harness.extractOutputValues()) {
            assertThat(outcome.isScored()).as("every window scored").isTrue();
            out.computeIfAbsent(outcome.score.getParticipantId(), p -> new ArrayList<>()).add(outcome.score.getScore());
        }
        return out;
    }

    @Test
    void eachWindowIsScoredWithWhatItsPredecessorsLeftEvenWhenSeveralWaitInOneBatch() throws Exception {
        harness = newHarness(3);
        harness.open();
        Map<String, List<float[][][]>> windows = new HashMap<>();
        // 5 windows of alice and 3 of bob arrive interleaved before any watermark: with batch size 3 the
        // batch-size trigger fires while a participant still has windows waiting, which must wait for
        // their predecessors' representations
        for (int i = 0; i < 5; i++) {
            boolean visionLost = i >= 3;
            AssembledWindow alice = window("alice", i, 0, true, true, !visionLost);
            windows.computeIfAbsent("alice", p -> new ArrayList<>()).add(input(alice));
            send(alice);
            if (i < 3) {
                AssembledWindow bob = window("bob", i, 0);
                windows.computeIfAbsent("bob", p -> new ArrayList<>()).add(input(bob));
                send(bob);
            }
        }
        harness.processWatermark(5 * WINDOW);

        Map<String, List<Float>> scores = scoresByParticipant();
        for (String participant : List.of("alice", "bob")) {
            float[] expected = TinyContractModel.expectedScoresInOrder(STEPS, DIMS, K, DC, windows.get(participant));
            assertThat(scores.get(participant)).as(participant).hasSize(expected.length);
            for (int i = 0; i < expected.length; i++) {
                assertThat(scores.get(participant).get(i)).as("%s window %d", participant, i)
                        .isCloseTo(expected[i], within(1e-5f));
            }
        }
        // the context mattered: alice's third window scored alone would differ
        float alone = TinyContractModel.expectedScore(STEPS, DIMS, windows.get("alice").get(2)[0],
                windows.get("alice").get(2)[1]);
        assertThat(scores.get("alice").get(2)).isNotCloseTo(alone, within(1e-3f));
        assertThat(harness.numKeyedStateEntries()).as("one context per participant").isEqualTo(2);
        assertThat(harness.numEventTimeTimers()).as("one expiry timer per participant").isEqualTo(2);
    }

    /** Pending processing-time timers: the operator sets none but its max-wait flush timer. */
    private int maxWaitTimers() {
        return harness.getProcessingTimeService().getNumActiveTimers();
    }

    /**
     * The max-wait timer belongs to the batch whose first window set it: a flush for another reason (batch
     * size, watermark) must cancel it, or it would fire into the next batch and cut it short.
     */
    @Test
    void aFlushForAnotherReasonCancelsTheMaxWaitTimerSoTheNextBatchWaitsItsFullTime() throws Exception {
        harness = newHarness(2);
        harness.open();
        long start = harness.getProcessingTime();
        long halfWait = MAX_WAIT.toMillis() / 2;
        send(window("gina", 0, 0));
        assertThat(maxWaitTimers()).as("max-wait timer of the first waiting window").isEqualTo(1);
        harness.setProcessingTime(start + halfWait);
        send(window("hank", 0, 0));
        assertThat(harness.extractOutputValues()).as("flushed at the batch size").hasSize(2);
        assertThat(maxWaitTimers()).as("timers left after a flush at the batch size").isZero();

        // a new batch starts before the old batch's deadline: it waits the full max wait from its first window
        long secondBatch = start + MAX_WAIT.toMillis() - 1;
        harness.setProcessingTime(secondBatch);
        send(window("gina", 1, 0));
        harness.setProcessingTime(start + MAX_WAIT.toMillis());
        assertThat(harness.extractOutputValues()).as("scored at the first batch's deadline").hasSize(2);
        harness.setProcessingTime(secondBatch + MAX_WAIT.toMillis());
        assertThat(harness.extractOutputValues()).as("scored at its own deadline").hasSize(3);

        send(window("hank", 1, 0));
        harness.processWatermark(2 * WINDOW);
        assertThat(harness.extractOutputValues()).as("flushed by the watermark").hasSize(4);
        assertThat(maxWaitTimers()).as("timers left after a flush by a watermark").isZero();
    }

    @Test
    void aReScoredWindowUsesItsPredecessorsOnlyAndReplacesItsRepresentation() throws Exception {
        harness = newHarness(8);
        harness.open();
        AssembledWindow w0 = window("carol", 0, 0);
        AssembledWindow w1 = window("carol", 1, 0, true, false, true);
        send(w0);
        send(w1);
        harness.processWatermark(2 * WINDOW);
        // late audio re-fires window 1 (revision 1, more complete), then window 2 fires
        AssembledWindow w1Revised = window("carol", 1, 1);
        send(w1Revised);
        harness.processWatermark(2 * WINDOW + 500);
        AssembledWindow w2 = window("carol", 2, 0);
        send(w2);
        harness.processWatermark(3 * WINDOW);

        List<Float> scores = scoresByParticipant().get("carol");
        assertThat(scores).hasSize(4);
        // revision 1 is scored as window 1 of the sequence w0, w1Revised; window 2 follows w0, w1Revised
        float[] expected = TinyContractModel.expectedScoresInOrder(STEPS, DIMS, K, DC,
                List.of(input(w0), input(w1Revised), input(w2)));
        float[] firstPass = TinyContractModel.expectedScoresInOrder(STEPS, DIMS, K, DC, List.of(input(w0), input(w1)));
        assertThat(scores.get(0)).isCloseTo(expected[0], within(1e-5f));
        assertThat(scores.get(1)).isCloseTo(firstPass[1], within(1e-5f));
        assertThat(scores.get(2)).as("the revision").isCloseTo(expected[1], within(1e-5f));
        assertThat(scores.get(3)).as("the window after the revision").isCloseTo(expected[2], within(1e-5f));
        // had the revision been appended a second time, window 2 would have seen (w1, w1Revised) with K = 2
        float[] doubled = TinyContractModel.expectedScoresInOrder(STEPS, DIMS, K, DC,
                List.of(input(w0), input(w1), input(w1Revised), input(w2)));
        assertThat(scores.get(3)).isNotCloseTo(doubled[3], within(1e-4f));
    }

    @Test
    void aParticipantQuietForTheTtlIsForgottenAndStartsAgainWithoutContext() throws Exception {
        harness = newHarness(4);
        harness.open();
        AssembledWindow first = window("dave", 0, 0);
        send(first);
        send(window("erin", 0, 0));
        harness.processWatermark(WINDOW);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);

        // erin keeps talking, dave goes quiet: at dave's last window end + TTL his state and timer go
        AssembledWindow erinLater = window("erin", 10, 0);
        send(erinLater);
        harness.processWatermark(WINDOW + TTL);
        assertThat(harness.numKeyedStateEntries()).as("only erin is remembered").isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        AssembledWindow back = window("dave", 20, 0);
        send(back);
        harness.processWatermark(21 * WINDOW);
        List<Float> dave = scoresByParticipant().get("dave");
        assertThat(dave.get(1)).as("scored without the forgotten window")
                .isCloseTo(TinyContractModel.expectedScore(STEPS, DIMS, back.values, back.masks), within(1e-5f));
    }

    @Test
    void contextSurvivesACheckpointTakenWhileWindowsWaited() throws Exception {
        harness = newHarness(16);
        harness.open();
        List<float[][][]> inputs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            AssembledWindow w = window("frank", i, 0, i != 1, true, true);
            inputs.add(input(w));
            send(w);
        }
        // no watermark yet: the windows wait in the operator; the barrier must not leave them behind
        // (a task calls this before every snapshot; the harness leaves it to the test)
        harness.prepareSnapshotPreBarrier(1);
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        assertThat(harness.extractOutputValues()).as("scored before the barrier").hasSize(3);
        harness.close();

        harness = newHarness(16);
        harness.initializeState(snapshot);
        harness.open();
        for (int i = 3; i < 5; i++) {
            AssembledWindow w = window("frank", i, 0);
            inputs.add(input(w));
            send(w);
        }
        harness.processWatermark(5 * WINDOW);
        float[] expected = TinyContractModel.expectedScoresInOrder(STEPS, DIMS, K, DC, inputs);
        List<Float> restored = scoresByParticipant().get("frank");
        assertThat(restored).hasSize(2);
        assertThat(restored.get(0)).isCloseTo(expected[3], within(1e-5f));
        assertThat(restored.get(1)).isCloseTo(expected[4], within(1e-5f));
    }
}
