package io.hrlf.cluster;

import static io.hrlf.cluster.TaskManagerCrashITCase.PACE;
import static io.hrlf.cluster.TaskManagerCrashITCase.PARTICIPANTS;
import static io.hrlf.cluster.TaskManagerCrashITCase.RECOVERY_TIMEOUT;
import static io.hrlf.cluster.TaskManagerCrashITCase.WINDOWS;

import java.nio.file.Path;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

/**
 * The JobManager JVM killed with SIGKILL while the job streams, on a cluster with ZooKeeper HA, and a
 * new JobManager started with the same configuration (what a supervisor such as compose's
 * {@code restart: unless-stopped} or Kubernetes does). The new one must take the job back from the HA
 * store, under the same job id, from the latest checkpoint the dead one completed, not run it afresh
 * (which would lose the windows fired but not yet committed); a read_committed consumer of the score
 * topic then sees every window exactly once ({@link CrashRig#killMidStream} says what is checked).
 */
class JobManagerCrashITCase {
    @Test
    void aJobManagerKilledMidStreamIsSucceededByOneThatRecoversTheJobFromZooKeeper() throws Exception {
        Path dir = CrashRig.workDir("jobmanager-crash");
        try (TestingServer zooKeeper = new TestingServer(true);
             CrashRig rig = CrashRig.start(dir, HighAvailability.zooKeeper(zooKeeper.getConnectString(), dir))) {
            CrashRig.Kill kill = rig.killMidStream(PARTICIPANTS, WINDOWS, PACE,
                    (r, job) -> r.killJobManager(job, RECOVERY_TIMEOUT));
            System.out.println("JobManager SIGKILL: " + kill);
        }
    }
}
