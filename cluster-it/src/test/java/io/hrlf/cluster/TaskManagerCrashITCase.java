package io.hrlf.cluster;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A TaskManager JVM killed with SIGKILL while the job streams: no goodbye to the JobManager, its
 * tasks, window state and open Kafka transactions gone with it. Flink must notice, restart the job
 * from the latest completed checkpoint on the surviving TaskManager plus a replacement, and the
 * transactions the dead process left open must never become visible: a read_committed consumer of the
 * score topic sees every window exactly once, with the score its complete input gives
 * ({@link CrashRig#killMidStream} says what is checked).
 */
class TaskManagerCrashITCase {
    static final int PARTICIPANTS = 8;
    static final int WINDOWS = 24;
    static final Duration PACE = Duration.ofMillis(400);
    static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(150);

    @Test
    void aTaskManagerKilledMidStreamLosesAndDuplicatesNoWindow() throws Exception {
        try (CrashRig rig = CrashRig.start(CrashRig.workDir("taskmanager-crash"), Map.of())) {
            CrashRig.Kill kill = rig.killMidStream(PARTICIPANTS, WINDOWS, PACE,
                    (r, job) -> r.killTaskManager(job, "taskmanager-1", RECOVERY_TIMEOUT));
            // killTaskManager waited for the restart count to rise and every task to run again
            System.out.println("TaskManager SIGKILL: " + kill);
        }
    }
}
