package io.hrlf.cluster;

import static io.hrlf.cluster.TaskManagerCrashITCase.PACE;
import static io.hrlf.cluster.TaskManagerCrashITCase.PARTICIPANTS;
import static io.hrlf.cluster.TaskManagerCrashITCase.RECOVERY_TIMEOUT;
import static io.hrlf.cluster.TaskManagerCrashITCase.SIGKILL_STATUS;
import static io.hrlf.cluster.TaskManagerCrashITCase.WINDOWS;
import static io.hrlf.cluster.TaskManagerCrashITCase.assertKilledMidStream;
import static org.assertj.core.api.Assertions.assertThat;

import io.hrlf.avro.SentimentScore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

/**
 * The JobManager JVM killed with SIGKILL while the job streams, on a cluster with ZooKeeper HA, and a
 * new JobManager started with the same configuration (what a supervisor such as compose's
 * {@code restart: unless-stopped} or Kubernetes does). The new one must take the job back from the HA
 * store, under the same job id, from the latest checkpoint the dead one completed, not run it afresh;
 * a read_committed consumer of the score topic then sees every window exactly once.
 */
class JobManagerCrashITCase {
    @Test
    void aJobManagerKilledMidStreamIsSucceededByOneThatRecoversTheJobFromZooKeeper() throws Exception {
        Path dir = CrashRig.workDir("jobmanager-crash");
        try (TestingServer zooKeeper = new TestingServer(true);
             CrashRig rig = CrashRig.start(dir, HighAvailability.zooKeeper(zooKeeper.getConnectString(), dir));
             CommittedRecords scores = rig.scores();
             CommittedRecords deadLetters = rig.deadLetters()) {
            String job = rig.submitJob();
            try (KnownCalls calls = rig.calls(PARTICIPANTS, WINDOWS, PACE).holdBefore(WINDOWS * 2 / 3).start()) {
                rig.awaitCommitted(job, scores, 2 * PARTICIPANTS, Duration.ofSeconds(120));
                int committedBeforeKill = scores.participantWindows();
                int fedBeforeKill = calls.windowsSent();
                calls.release();

                CrashRig.Kill kill = rig.killJobManager(job, RECOVERY_TIMEOUT);

                assertThat(kill.exitStatus()).as("exit status of the killed JobManager").isEqualTo(SIGKILL_STATUS);
                // a JobManager that ran the job afresh would restore nothing (-1) and re-read from the
                // committed offsets, losing the windows fired but not yet committed
                assertThat(kill.restoredCheckpoint())
                        .as("checkpoint the new JobManager restored; the dead one had completed %s before the kill",
                                kill.checkpointBefore())
                        .isGreaterThanOrEqualTo(kill.checkpointBefore()).isPositive();
                calls.awaitFed(Duration.ofSeconds(60));
                Map<String, List<SentimentScore>> all = scores.awaitParticipantWindows(calls.expectedScores(),
                        Duration.ofSeconds(120), Duration.ofSeconds(5));
                calls.assertEveryWindowExactlyOnce(all);
                assertKilledMidStream(committedBeforeKill, fedBeforeKill, calls);
                assertThat(deadLetters.poll(Duration.ofSeconds(2))).as("dead letters").isZero();
                System.out.printf("JobManager SIGKILL: %d of %d windows committed and %d of %d windows produced "
                        + "before the kill; job %s; %s%n", committedBeforeKill, calls.expectedScores(), fedBeforeKill,
                        WINDOWS, job, kill);
            }
        }
    }
}
