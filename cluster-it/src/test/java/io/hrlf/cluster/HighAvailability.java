package io.hrlf.cluster;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Flink's ZooKeeper HA settings for a test cluster (the same keys as {@code docker-compose.yml}'s). */
final class HighAvailability {
    /**
     * How long a dead JobManager keeps its leadership: ZooKeeper drops its session, and with it the
     * leader latch, only after this long. Flink's default of 60 s would hold every successor back that
     * long; the test server's minimum is twice its 3 s tick.
     */
    static final String SESSION_TIMEOUT_MILLIS = "8000";

    private HighAvailability() {}

    static Map<String, String> zooKeeper(String quorum, Path dir) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("high-availability.type", "zookeeper");
        config.put("high-availability.zookeeper.quorum", quorum);
        // job graphs, jars and completed-checkpoint handles; ZooKeeper holds only pointers to them
        config.put("high-availability.storageDir", dir.resolve("ha").toUri().toString());
        config.put("high-availability.cluster-id", "/hrlf-crash-it");
        config.put("high-availability.zookeeper.client.session-timeout", SESSION_TIMEOUT_MILLIS);
        return config;
    }
}
