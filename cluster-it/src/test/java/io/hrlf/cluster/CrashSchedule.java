package io.hrlf.cluster;

import static io.hrlf.cluster.TaskManagerCrashITCase.PARTICIPANTS;
import static io.hrlf.cluster.TaskManagerCrashITCase.RECOVERY_TIMEOUT;
import static io.hrlf.cluster.CrashRig.SIGKILL_STATUS;
import static org.assertj.core.api.Assertions.assertThat;

import io.hrlf.avro.SentimentScore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

/**
 * The crash tests' longer schedule: for {@code crash.minutes} minutes (5 by default) the known calls
 * stream without pause while TaskManagers and the JobManager are killed with SIGKILL in turn (two
 * TaskManager kills, then a JobManager kill, over again; ZooKeeper HA), each kill once the job has
 * recovered from the previous one and committed more windows, after a pause drawn from a seeded random
 * ({@code crash.seed}) so that kills land at varying points of the checkpoint cycle. Then every window
 * exactly once, read_committed.
 *
 * <p>Not an ITCase: only the {@code crash-schedule} profile runs it,
 * {@code ./mvnw -pl cluster-it -am -Pcrash-schedule verify [-Dcrash.minutes=5] [-Dcrash.seed=15]}.
 */
class CrashSchedule {
    private static final Duration PACE = Duration.ofMillis(500);
    /** The longest pause between a recovery and the next kill. */
    private static final Duration MAX_PAUSE = Duration.ofSeconds(10);
    private static final int JOB_MANAGER_EVERY = 3;

    @Test
    void taskManagersAndJobManagersKilledInTurnLoseAndDuplicateNoWindow() throws Exception {
        Duration length = Duration.ofMinutes(Long.getLong("crash.minutes", 5));
        Random pauses = new Random(Long.getLong("crash.seed", 15));
        int windows = (int) (length.toMillis() / PACE.toMillis());
        Path dir = CrashRig.workDir("crash-schedule");
        List<CrashRig.Kill> kills = new ArrayList<>();
        try (TestingServer zooKeeper = new TestingServer(true);
             CrashRig rig = CrashRig.start(dir, HighAvailability.zooKeeper(zooKeeper.getConnectString(), dir));
             CommittedRecords scores = rig.scores();
             CommittedRecords deadLetters = rig.deadLetters()) {
            StandaloneFlinkCluster cluster = rig.cluster();
            String job = rig.submitJob();
            try (KnownCalls calls = rig.calls(PARTICIPANTS, windows, PACE).start()) {
                // the last tenth of the input streams after the last kill
                while (calls.windowsSent() < windows * 9 / 10) {
                    rig.awaitCommitted(job, scores, scores.participantWindows() + PARTICIPANTS, RECOVERY_TIMEOUT);
                    Thread.sleep(pauses.nextInt((int) MAX_PAUSE.toMillis()));
                    if (calls.windowsSent() >= windows * 9 / 10) {
                        break;
                    }
                    CrashRig.Kill kill;
                    if (kills.size() % JOB_MANAGER_EVERY == JOB_MANAGER_EVERY - 1) {
                        kill = rig.killJobManager(job, RECOVERY_TIMEOUT);
                    } else {
                        List<String> taskManagers = cluster.runningProcesses().stream()
                                .filter(p -> p.startsWith("taskmanager")).toList();
                        kill = rig.killTaskManager(job, taskManagers.get(kills.size() % taskManagers.size()),
                                RECOVERY_TIMEOUT);
                    }
                    assertThat(kill.exitStatus()).as("exit status after %s", kill).isEqualTo(SIGKILL_STATUS);
                    assertThat(kill.restoredCheckpoint()).as("checkpoint restored after %s", kill)
                            .isGreaterThanOrEqualTo(kill.checkpointBefore()).isPositive();
                    kills.add(kill);
                    System.out.printf("kill %d at window %d of %d, %d windows committed: %s%n", kills.size(),
                            calls.windowsSent(), windows, scores.participantWindows(), kill);
                }
                calls.awaitFed(length.plusMinutes(2));
                Map<String, List<SentimentScore>> all = scores.awaitParticipantWindows(calls.expectedScores(),
                        Duration.ofSeconds(180), Duration.ofSeconds(5));
                calls.assertEveryWindowExactlyOnce(all);
                assertThat(kills).as("kills").extracting(CrashRig.Kill::process)
                        .anyMatch(p -> p.startsWith("taskmanager")).anyMatch(p -> p.startsWith("jobmanager"));
                assertThat(deadLetters.poll(Duration.ofSeconds(2))).as("dead letters").isZero();
                System.out.printf("%d kills over %s, %d windows exactly once; %d score records committed, %d in the "
                        + "log%n", kills.size(), length, calls.expectedScores(), scores.records(),
                        rig.scoreRecordsWritten());
            }
        }
    }
}
