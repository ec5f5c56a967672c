package io.hrlf.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

/** A job's failures as an operator sees them: the exception history of Flink's REST API (the dashboard's "Exceptions" tab). */
final class JobExceptions {
    /** More than any test here causes; the REST API returns only the newest this many. */
    private static final int MAX_EXCEPTIONS = 1_000;

    private JobExceptions() {}

    /** Each failure as "exception class: stack trace" (the trace begins with the message), newest first. */
    static List<String> of(ClusterClient<?> cluster, JobID job) throws Exception {
        String url = cluster.getWebInterfaceURL() + "/jobs/" + job + "/exceptions?maxExceptions=" + MAX_EXCEPTIONS;
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
        List<String> failures = new ArrayList<>();
        for (JsonNode entry : new ObjectMapper().readTree(response.body()).path("exceptionHistory").path("entries")) {
            failures.add(entry.path("exceptionName").asText() + ": " + entry.path("stacktrace").asText());
        }
        return failures;
    }
}
