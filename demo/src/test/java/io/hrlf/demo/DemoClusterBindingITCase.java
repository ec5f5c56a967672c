package io.hrlf.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hrlf.testkit.BindAddress;
import io.hrlf.testkit.EmbeddedKafka;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;

/**
 * The demo's cluster as the demo starts it (its configuration, a running job with a shuffle and
 * checkpoints, its embedded broker): the dashboard refuses jar uploads and cancels, and every TCP port
 * this JVM listens on is bound to 127.0.0.1, as the kernel reports it.
 */
class DemoClusterBindingITCase {
    private static final Duration STARTUP = Duration.ofMinutes(2);

    @Test
    void everyPortIsOnTheLoopbackAndTheDashboardAcceptsNoJars() throws Exception {
        int restPort = freeLoopbackPort();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(BindAddress.LOOPBACK)) {
            StreamExecutionEnvironment env = DemoCluster.environment(BindAddress.LOOPBACK, restPort);
            env.setParallelism(2);
            env.enableCheckpointing(1_000);
            env.fromSequence(0, Long.MAX_VALUE)
                    .map(DemoClusterBindingITCase::slowly)
                    .keyBy(n -> n % 4) // a shuffle, as in the demo's job
                    .map(n -> n + 1)
                    .sinkTo(new DiscardingSink<>());
            JobClient job = env.executeAsync("binding check");
            try {
                awaitRunning(job);
                JsonNode features = new ObjectMapper().readTree(get(restPort, "/config")).path("features");
                assertThat(features.path("web-submit").asBoolean(true)).as("/config features: %s", features).isFalse();
                assertThat(features.path("web-cancel").asBoolean(true)).as("/config features: %s", features).isFalse();
                // the REST API refuses an upload, not just the dashboard. (web.cancel.enable only hides the
                // dashboard's cancel button: PATCH /jobs/<id>?mode=cancel was tried and answered 202 in Flink
                // 2.2, so only the loopback bind keeps other machines from cancelling.)
                assertThat(send(restPort, "/jars/upload", "POST").statusCode()).as("POST /jars/upload").isGreaterThanOrEqualTo(400);

                List<InetSocketAddress> listening = ListeningSockets.ofThisProcess();
                int kafkaPort = Integer.parseInt(kafka.bootstrapServers().replaceAll(".*:", ""));
                assertThat(listening).extracting(InetSocketAddress::getPort).contains(restPort, kafkaPort);
                assertThat(listening).as("listening sockets of this JVM").allSatisfy(socket ->
                        assertThat(socket.getAddress().getHostAddress()).as("bind address of port %d", socket.getPort())
                                .isEqualTo(BindAddress.LOOPBACK));
            } finally {
                job.cancel().get();
            }
        }
    }

    private static long slowly(long n) throws InterruptedException {
        Thread.sleep(1);
        return n;
    }

    private static void awaitRunning(JobClient job) throws Exception {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (job.getJobStatus().get() != JobStatus.RUNNING) {
            assertThat(System.nanoTime()).as("job running within %s", STARTUP).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static String get(int port, String path) throws Exception {
        HttpResponse<String> response = send(port, path, "GET");
        assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
        return response.body();
    }

    private static HttpResponse<String> send(int port, String path, String method) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freeLoopbackPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
