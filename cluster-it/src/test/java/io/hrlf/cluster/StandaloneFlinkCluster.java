package io.hrlf.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A standalone Flink session cluster of separate JVMs (one JobManager, N TaskManagers) started the way
 * Flink's {@code jobmanager.sh} / {@code taskmanager.sh} start them: memory parameters computed by
 * {@code BashJavaUtils} from the same {@code config.yaml}, JVM options from {@code env.java.*}, and a
 * class path of Flink's lib/ plus whatever the operator adds there (here: TensorFlow Java). The
 * lib/ is built from Flink's Maven Central jars because flink-dist is not published there.
 */
final class StandaloneFlinkCluster implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXEC_RESULT = "BASH_JAVA_UTILS_EXEC_RESULT:";
    /** What flink-dist's config.yaml sets for Java 17 (env.java.default-opts.all). */
    private static final String DIST_DEFAULT_JAVA_OPTS = String.join(" ",
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private final Path confDir;
    private final Path logDir;
    private final String classPath;
    private final Map<String, String> config;
    private final int restPort;
    /** The processes not killed yet, by name ("jobmanager", "taskmanager-1", ...). */
    private final Map<String, Process> running = new LinkedHashMap<>();
    /** Every process's output file, killed ones too, in start order. */
    private final List<Path> outputs = new ArrayList<>();
    private int jobManagersStarted;
    private int taskManagersStarted;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private StandaloneFlinkCluster(Path workDir, List<Path> libDirs, Map<String, String> extraConfig) throws IOException {
        this.confDir = Files.createDirectories(workDir.resolve("conf"));
        this.logDir = Files.createDirectories(workDir.resolve("log"));
        this.classPath = libDirs.stream().map(dir -> dir.toAbsolutePath() + File.separator + "*")
                .collect(Collectors.joining(File.pathSeparator));
        this.restPort = freePort();
        config = new LinkedHashMap<>();
        config.put("jobmanager.rpc.address", "127.0.0.1");
        config.put("jobmanager.rpc.port", Integer.toString(freePort()));
        config.put("jobmanager.bind-host", "127.0.0.1");
        config.put("taskmanager.bind-host", "127.0.0.1");
        config.put("taskmanager.host", "127.0.0.1");
        config.put("rest.address", "127.0.0.1");
        config.put("rest.bind-address", "127.0.0.1");
        config.put("rest.port", Integer.toString(restPort));
        config.put("jobmanager.memory.process.size", "1024m");
        config.put("taskmanager.memory.process.size", "1536m");
        config.put("taskmanager.numberOfTaskSlots", "1");
        config.put("env.java.default-opts.all", DIST_DEFAULT_JAVA_OPTS);
        config.put("io.tmp.dirs", Files.createDirectories(workDir.resolve("tmp")).toString());
        config.putAll(extraConfig);
        StringBuilder yaml = new StringBuilder();
        config.forEach((k, v) -> yaml.append(k).append(": ").append(quote(v)).append('\n'));
        Files.writeString(confDir.resolve("config.yaml"), yaml.toString());
        Files.writeString(confDir.resolve("log4j.properties"), String.join("\n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.console.ref = console",
                "appender.console.name = console",
                "appender.console.type = CONSOLE",
                "appender.console.layout.type = PatternLayout",
                "appender.console.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-60c %x - %m%n",
                ""));
    }

    /** Starts the JobManager and {@code taskManagers} TaskManagers and waits until all have registered. */
    static StandaloneFlinkCluster start(Path workDir, List<Path> libDirs, int taskManagers,
                                        Map<String, String> extraConfig) throws Exception {
        StandaloneFlinkCluster cluster = new StandaloneFlinkCluster(workDir, libDirs, extraConfig);
        try {
            cluster.startJobManager();
            for (int i = 1; i <= taskManagers; i++) {
                cluster.startTaskManager();
            }
            cluster.awaitTaskManagers(taskManagers, Duration.ofSeconds(120));
            return cluster;
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * Starts a JobManager process with the cluster's configuration: "jobmanager", then "jobmanager-2", ...
     * (with HA configured, a second one is a standby, or the successor of one that was killed).
     */
    String startJobManager() throws Exception {
        jobManagersStarted++;
        String name = jobManagersStarted == 1 ? "jobmanager" : "jobmanager-" + jobManagersStarted;
        launch(name, "GET_JM_RESOURCE_PARAMS",
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", "jobmanager");
        return name;
    }

    /** Starts one more TaskManager process, "taskmanager-N"; it registers with the leading JobManager. */
    String startTaskManager() throws Exception {
        taskManagersStarted++;
        String name = "taskmanager-" + taskManagersStarted;
        launch(name, "GET_TM_RESOURCE_PARAMS", "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", "taskmanager");
        return name;
    }

    /**
     * SIGKILL to the named process, as {@code kill -9} would (on Linux {@link Process#destroyForcibly} sends
     * SIGKILL): no shutdown hook, no goodbye to the JobManager. Returns the exit status, 128 + 9 when the
     * signal killed it.
     */
    int kill(String name) throws InterruptedException {
        Process process = running.remove(name);
        if (process == null) {
            throw new IllegalArgumentException("no running process " + name + "; running: " + running.keySet());
        }
        process.destroyForcibly();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " still alive 30 s after SIGKILL");
        }
        return process.exitValue();
    }

    /** Names of the processes started and not killed, in start order. */
    List<String> runningProcesses() {
        return List.copyOf(running.keySet());
    }

    private void launch(String name, String resourceCommand, String entryPoint, String role) throws Exception {
        List<String> resourceParams = bashJavaUtils(resourceCommand);
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        // JVM memory flags first, as the scripts put them; then env.java.* options
        command.addAll(split(resourceParams.get(0)));
        command.addAll(split(config.getOrDefault("env.java.default-opts.all", "")));
        command.addAll(split(config.getOrDefault("env.java.opts.all", "")));
        command.addAll(split(config.getOrDefault("env.java.opts." + role, "")));
        command.add("-Dlog.file=" + logDir.resolve(name + ".log"));
        command.add("-Dlog4j.configurationFile=" + confDir.resolve("log4j.properties").toUri());
        command.add("-cp");
        command.add(classPath);
        command.add(entryPoint);
        command.add("--configDir");
        command.add(confDir.toString());
        if (resourceParams.size() > 1) {
            command.addAll(split(resourceParams.get(1)));
        }
        Path out = logDir.resolve(name + ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
        Process process = builder.start();
        running.put(name, process);
        outputs.add(out);
    }

    /** What the scripts do: ask BashJavaUtils for the JVM and dynamic memory parameters. */
    private List<String> bashJavaUtils(String command) throws Exception {
        Process process = new ProcessBuilder(javaExecutable(), "-cp", classPath,
                "org.apache.flink.runtime.util.bash.BashJavaUtils", command, "--configDir", confDir.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("BashJavaUtils " + command + " failed:\n" + output);
        }
        List<String> results = output.lines().filter(l -> l.startsWith(EXEC_RESULT))
                .map(l -> l.substring(EXEC_RESULT.length())).toList();
        if (results.isEmpty()) {
            throw new IllegalStateException("BashJavaUtils " + command + " printed no result:\n" + output);
        }
        return results;
    }

    private void awaitTaskManagers(int expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int registered = -1;
        while (System.nanoTime() < deadline) {
            requireAlive();
            try {
                registered = get("/overview").path("taskmanagers").asInt();
                if (registered >= expected) {
                    return;
                }
            } catch (IOException | IllegalStateException notUpYet) {
                // REST endpoint not listening yet, or answering 503 while the JobManager's leader election runs
                // (seen on a loaded machine)
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("only " + registered + " of " + expected + " task managers registered\n" + logs());
    }

    private void requireAlive() {
        running.forEach((name, p) -> {
            if (!p.isAlive()) {
                throw new IllegalStateException(name + " exited with " + p.exitValue() + "\n" + logs());
            }
        });
    }

    String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(restUrl() + path)).GET());
    }

    /** POST /jars/upload: the jar as the multipart field 'jarfile'; returns the jar id. */
    String uploadJar(Path jar) throws IOException, InterruptedException {
        String boundary = "hrlf-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(restUrl() + "/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofFile(jar), HttpRequest.BodyPublishers.ofByteArray(tail)));
        String filename = send(request).path("filename").asText();
        return filename.substring(filename.lastIndexOf('/') + 1);
    }

    /** POST /jars/:id/run; returns the job id. */
    String runJar(String jarId, String entryClass, List<String> args, int parallelism)
            throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entryClass", entryClass);
        body.put("programArgsList", args);
        body.put("parallelism", parallelism);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(restUrl() + "/jars/" + jarId + "/run"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        return send(request).path("jobid").asText();
    }

    void cancel(String jobId) throws IOException, InterruptedException {
        send(HttpRequest.newBuilder(URI.create(restUrl() + "/jobs/" + jobId + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()));
    }

    String jobState(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId).path("state").asText();
    }

    /** Ids of every job the leading JobManager knows, whatever their state. */
    List<String> jobIds() throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        get("/jobs").path("jobs").forEach(job -> ids.add(job.path("id").asText()));
        return ids;
    }

    /** The job is RUNNING and so is every one of its tasks (a RUNNING job may still be waiting for slots). */
    boolean fullyRunning(String jobId) throws IOException, InterruptedException {
        JsonNode job = get("/jobs/" + jobId);
        if (!"RUNNING".equals(job.path("state").asText()) || job.path("vertices").isEmpty()) {
            return false;
        }
        for (JsonNode vertex : job.path("vertices")) {
            if (!"RUNNING".equals(vertex.path("status").asText())) {
                return false;
            }
        }
        return true;
    }

    /** The job's {@code numRestarts} metric: restarts since this JobManager took the job. */
    long restarts(String jobId) throws IOException, InterruptedException {
        for (JsonNode metric : get("/jobs/" + jobId + "/metrics?get=numRestarts")) {
            return metric.path("value").asLong();
        }
        return 0;
    }

    /** What {@code GET /jobs/:id/checkpoints} says of completed and restored checkpoints (-1: none). */
    record Checkpoints(long completed, long latestCompletedId, long restoredId) {}

    Checkpoints checkpoints(String jobId) throws IOException, InterruptedException {
        JsonNode stats = get("/jobs/" + jobId + "/checkpoints");
        JsonNode latest = stats.path("latest");
        return new Checkpoints(stats.path("counts").path("completed").asLong(),
                latest.path("completed").path("id").asLong(-1), latest.path("restored").path("id").asLong(-1));
    }

    /**
     * Polls {@code condition} every 250 ms until it holds; a REST error counts as "not yet" (the
     * JobManager may be down, or electing its leader). Fails naming {@code what}, with the logs.
     */
    void await(String what, Duration timeout, RestCondition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (IOException | IllegalStateException notNow) {
                last = notNow;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not within " + timeout + ": " + what
                + (last == null ? "" : " (last REST error: " + last.getMessage() + ")") + "\n" + logs());
    }

    @FunctionalInterface
    interface RestCondition {
        boolean holds() throws IOException, InterruptedException;
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(request.build().method() + " " + request.build().uri() + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    /** Every process's output, for a failure message. */
    String logs() {
        StringBuilder all = new StringBuilder();
        outputs.forEach(file -> {
            all.append("===== ").append(file.getFileName()).append('\n');
            try {
                List<String> lines = Files.readAllLines(file);
                lines.subList(Math.max(0, lines.size() - 80), lines.size()).forEach(l -> all.append(l).append('\n'));
            } catch (IOException e) {
                all.append("(unreadable: ").append(e.getMessage()).append(")\n");
            }
        });
        return all.toString();
    }

    /** Full text of the named process's output (e.g. "taskmanager-1"). */
    String output(String name) {
        try {
            return Files.readString(logDir.resolve(name + ".out"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : running.values()) {
            p.destroy();
        }
        for (Process p : running.values()) {
            if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static List<String> split(String options) {
        return Arrays.stream(options.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
