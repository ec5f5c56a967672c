package io.hrlf.demo;

import io.hrlf.testkit.BindAddress;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The demo's local Flink cluster: every port it opens (REST and dashboard, RPC, blob server, data
 * exchange) on one address, the loopback unless the operator asks for another, and a dashboard that
 * neither accepts jars nor cancels jobs.
 *
 * <p>Web submission is off because an uploaded jar runs arbitrary code in the cluster. Web cancel is
 * off too: the demo process owns its job, Ctrl-C stops it (and still prints the summary), and a job
 * cancelled from the dashboard would leave the console waiting for scores that never come. That
 * setting only hides the dashboard's button: Flink's REST API still accepts a cancel request, so the
 * loopback bind is what keeps other machines from cancelling.
 */
final class DemoCluster {
    private DemoCluster() {}

    static Configuration configuration(String bindAddress, int restPort) {
        String reachableAs = BindAddress.reachableAs(bindAddress);
        Configuration cluster = new Configuration();
        cluster.set(RestOptions.PORT, restPort);
        cluster.set(RestOptions.BIND_ADDRESS, bindAddress);
        cluster.set(RestOptions.ADDRESS, reachableAs);
        cluster.set(JobManagerOptions.BIND_HOST, bindAddress); // RPC and the blob server
        cluster.set(JobManagerOptions.ADDRESS, reachableAs);
        cluster.set(TaskManagerOptions.BIND_HOST, bindAddress); // RPC and the data (shuffle) port
        cluster.set(TaskManagerOptions.HOST, reachableAs);
        cluster.set(WebOptions.SUBMIT_ENABLE, false);
        cluster.set(WebOptions.CANCEL_ENABLE, false);
        return cluster;
    }

    /** A local cluster with the dashboard, started by the first job submitted to it. */
    static StreamExecutionEnvironment environment(String bindAddress, int restPort) {
        return StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(configuration(bindAddress, restPort));
    }
}
