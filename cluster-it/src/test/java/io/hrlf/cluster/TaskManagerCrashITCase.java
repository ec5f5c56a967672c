package io.hrlf.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.hrlf.avro.SentimentScore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A TaskManager JVM killed with SIGKILL while the job streams: no goodbye to the JobManager, its
 * tasks, window state and open Kafka transactions gone with it. Flink must notice, restart the job
 * from the latest completed checkpoint on the surviving TaskManager plus a replacement, and the
 * transactions the dead process left open must never become visible: a read_committed consumer of the
 * score topic sees every window exactly once, with the score its complete input gives.
 */
class TaskManagerCrashITCase {
    static final int PARTICIPANTS = 8;
    static final int WINDOWS = 24;
    static final Duration PACE = Duration.ofMillis(400);
    static final int SIGKILL_STATUS = 128 + 9;
    static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(150);

    @Test
    void aTaskManagerKilledMidStreamLosesAndDuplicatesNoWindow() throws Exception {
        try (CrashRig rig = CrashRig.start(CrashRig.workDir("taskmanager-crash"), Map.of());
             CommittedRecords scores = rig.scores();
             CommittedRecords deadLetters = rig.deadLetters()) {
            String job = rig.submitJob();
            // held at two thirds of the input at the latest: the kill must land while data is still coming
            try (KnownCalls calls = rig.calls(PARTICIPANTS, WINDOWS, PACE).holdBefore(WINDOWS * 2 / 3).start()) {
                rig.awaitCommitted(job, scores, 2 * PARTICIPANTS, Duration.ofSeconds(120));
                int committedBeforeKill = scores.participantWindows();
                int fedBeforeKill = calls.windowsSent();
                calls.release();

                CrashRig.Kill kill = rig.killTaskManager(job, "taskmanager-1", RECOVERY_TIMEOUT);

                assertThat(kill.exitStatus()).as("exit status of the killed TaskManager").isEqualTo(SIGKILL_STATUS);
                assertThat(kill.restoredCheckpoint()).as("checkpoint restored after the kill")
                        .isGreaterThanOrEqualTo(kill.checkpointBefore()).isPositive();
                calls.awaitFed(Duration.ofSeconds(60));
                Map<String, List<SentimentScore>> all = scores.awaitParticipantWindows(calls.expectedScores(),
                        Duration.ofSeconds(120), Duration.ofSeconds(5));
                calls.assertEveryWindowExactlyOnce(all);
                assertKilledMidStream(committedBeforeKill, fedBeforeKill, calls);
                assertThat(deadLetters.poll(Duration.ofSeconds(2))).as("dead letters").isZero();
                System.out.printf("TaskManager SIGKILL: %d of %d windows committed and %d of %d windows produced "
                        + "before the kill; %s%n", committedBeforeKill, calls.expectedScores(), fedBeforeKill, WINDOWS,
                        kill);
            }
        }
    }

    /** Some windows were committed before the kill and the rest after it, and input was still coming. */
    static void assertKilledMidStream(int committedBeforeKill, int fedBeforeKill, KnownCalls calls) {
        assertThat(committedBeforeKill).as("windows committed before the kill, of %s", calls.expectedScores())
                .isPositive().isLessThan(calls.expectedScores());
        assertThat(fedBeforeKill).as("windows produced before the kill, of %s", calls.windows())
                .isLessThan(calls.windows());
    }
}
