package io.hrlf.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.hrlf.avro.FeatureChunk;
import io.hrlf.job.HrlfJob;
import io.hrlf.job.HrlfOptions;
import io.hrlf.job.JobOptions;
import io.hrlf.scoring.Scoring;
import io.hrlf.scoring.ScoringOptions;
import io.hrlf.window.AssembledWindow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.highavailability.JobResultStoreOptions;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;

/**
 * Structural checks of what an operator deploys: {@code Dockerfile}, {@code docker-compose.yml} and
 * {@code k8s/}. None of them can be run here (no Docker engine, no Kubernetes, no GPU), so this test is
 * what stops them drifting from the job: a renamed topic or option, a Flink or Kafka upgrade, a lost
 * GPU limit or security context fails the build.
 */
class DeploymentManifestsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** name:tag where the tag starts with a version number (optionally "v"); never "latest". */
    private static final Pattern PINNED_IMAGE = Pattern.compile("[a-z0-9./-]+:v?\\d+(\\.\\d+)*[A-Za-z0-9._-]*");
    private static final String GPU_LIMIT = "nvidia.com/gpu";
    private static final String GPU_DRIVER_FACTORY = "org.apache.flink.externalresource.gpu.GPUDriverFactory";
    /** Outside /opt/flink/usrlib, which the operator hides under an emptyDir on a standalone JobManager. */
    private static final String JOB_JAR = "/opt/hrlf/hrlf-job.jar";
    private static final String OPERATOR_HIDDEN_DIRECTORY = "/opt/flink/usrlib/";
    private static final List<String> TASK_MANAGER_SETTINGS_SHARED_BY_BOTH_POOLS = List.of(
            "classloader.parent-first-patterns.additional", "env.java.opts.all",
            "state.backend.type", "execution.checkpointing.incremental", "execution.checkpointing.dir",
            "execution.checkpointing.savepoint-dir", "high-availability.type", "high-availability.storageDir",
            "metrics.reporter.prom.factory.class", "metrics.reporter.prom.port", "web.submit.enable",
            "jobmanager.rpc.port", "blob.server.port", "taskmanager.rpc.port", "taskmanager.data.port",
            "security.ssl.internal.enabled", "security.ssl.internal.keystore", "security.ssl.internal.truststore");

    /**
     * Restarts that one TaskManager crash costs, measured on a real standalone cluster (issue 15): the
     * first redeploys go to the dead TaskManager's slots, which stay registered until its heartbeat times out.
     */
    private static final int RESTARTS_ONE_CRASH_COSTS = 3;
    private static final Pattern JOB_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Set<String> RESTARTING_POLICIES = Set.of("always", "unless-stopped", "on-failure");

    // ---------------------------------------------------------------- Dockerfile

    @Test
    void theImageIsTheFlinkTheJobIsBuiltForWithTensorFlowInLibAndRunsAsNonRoot() throws IOException {
        List<String> lines = dockerfile();
        Set<String> stages = lines.stream().filter(l -> l.startsWith("FROM ") && l.contains(" AS "))
                .map(l -> l.substring(l.lastIndexOf(' ') + 1)).collect(Collectors.toSet());
        List<String> froms = lines.stream().filter(l -> l.startsWith("FROM ")).map(l -> l.split("\\s+")[1])
                .filter(image -> !stages.contains(image)).toList();
        assertThat(froms).isNotEmpty().allSatisfy(image -> assertPinned("Dockerfile", image));
        assertThat(lines).filteredOn(l -> l.startsWith("COPY --from=")).map(l -> l.split("\\s+")[1].substring("--from=".length()))
                .filteredOn(image -> !stages.contains(image)).allSatisfy(image -> assertPinned("Dockerfile COPY", image));
        assertThat(froms).contains("flink:" + EnvironmentInformation.getVersion() + "-scala_2.12-java17");

        List<String> app = stage(lines, "flink-app");
        assertThat(app).anyMatch(l -> l.startsWith("COPY") && l.contains("flink-job/target/flink-lib/")
                && l.endsWith("/opt/flink/lib/"));
        assertThat(app).anyMatch(l -> l.startsWith("COPY") && l.contains("flink-job/target/hrlf-job.jar")
                && l.endsWith(JOB_JAR));
        assertThat(app).anyMatch(l -> l.startsWith("COPY") && l.contains("demo/target/hrlf-demo.jar"));
        for (String target : List.of("flink-app", "gpu")) {
            assertRootOnlyWhereNeeded(target, stage(lines, target));
        }
    }

    /**
     * The official image ends with USER flink, so a RUN that writes outside flink's directories needs
     * USER root before it; and every stage that is run must end as a non-root user.
     */
    private static void assertRootOnlyWhereNeeded(String target, List<String> stage) {
        String user = "flink"; // the official Flink image's last USER, and what every stage here starts from
        if (stage.get(0).startsWith("FROM nvidia/")) {
            user = "root";
        }
        for (String line : stage) {
            if (line.startsWith("USER ")) {
                user = line.substring(5).trim();
            } else if (line.startsWith("RUN ") && WRITES_AS_ROOT.matcher(line).find()) {
                assertThat(user).as("stage %s: '%s' needs root but runs as %s", target, line, user).isIn("root", "0");
            }
        }
        assertThat(user).as("stage %s ends as a non-root user", target).isNotIn("root", "0");
    }

    private static final Pattern WRITES_AS_ROOT = Pattern.compile(
            "mkdir -p /(models|flink-data|opt/flink/plugins|opt/flink/usrlib)|chown|apt-get|useradd|groupadd");

    @Test
    void theGpuImageHasTheCudaRuntimeOfTensorFlowJavasTensorFlowAndExposesTheGpu() throws IOException {
        List<String> gpu = stage(dockerfile(), "gpu");
        // TensorFlow Java 1.1.0 = TensorFlow 2.18.0, built against CUDA 12.5 and cuDNN 9.3
        assertThat(gpu.get(0)).matches("FROM nvidia/cuda:12\\.5\\.\\d+-cudnn-runtime-ubuntu\\d+\\.\\d+ AS gpu");
        String env = String.join(" ", gpu);
        assertThat(env).contains("NVIDIA_DRIVER_CAPABILITIES=compute,utility").contains("NVIDIA_VISIBLE_DEVICES=all");
        assertThat(gpu).anyMatch(l -> l.startsWith("COPY --from=flink-app") && l.contains(" /opt/flink /opt/flink"));
        assertThat(gpu).anyMatch(l -> l.startsWith("COPY --from=eclipse-temurin:17"));
    }

    // ---------------------------------------------------------------- docker-compose.yml

    @Test
    void composeUsesPinnedImagesTheJobsTopicsAndItsClusterSettings() throws IOException {
        JsonNode services = composeFile().path("services");
        assertThat(fieldNames(services)).contains("kafka", "kafka-init", "jobmanager", "taskmanager", "simulator",
                "prometheus");
        services.fields().forEachRemaining(service ->
                assertPinned("docker-compose.yml service " + service.getKey(), service.getValue().path("image").asText()));

        assertThat(services.path("kafka").path("image").asText()).isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
        String createTopics = text(services.path("kafka-init").path("command"));
        for (String topic : jobTopics()) {
            assertThat(createTopics).as("kafka-init creates %s", topic).contains(topic);
        }

        List<String> jobManagerCommand = strings(services.path("jobmanager").path("command"));
        assertThat(jobManagerCommand).startsWith("standalone-job");
        assertThat(valueAfter(jobManagerCommand, "--job-classname")).isEqualTo(HrlfJob.class.getName());
        assertOnlyKnownJobOptions(jobManagerCommand);
        String modelPath = valueAfter(jobManagerCommand, "--" + JobOptions.MODEL_PATH.key());
        assertThat(text(services.path("simulator").path("command"))).contains(modelPath);

        for (String flinkService : List.of("jobmanager", "taskmanager")) {
            Map<String, String> flink = flinkProperties(services.path(flinkService).path("environment").path("FLINK_PROPERTIES").asText());
            assertClusterSettingsTheJobNeeds("compose " + flinkService, flink);
            assertThat(flink).containsKey("metrics.reporter.prom.factory.class");
        }
    }

    // ---------------------------------------------------------------- k8s/

    @Test
    void everyManifestIsListedByKustomizeAndNamesItsKindAndName() throws IOException {
        Set<String> files;
        try (Stream<Path> list = Files.list(ROOT.resolve("k8s"))) {
            files = list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .filter(n -> !n.equals("kustomization.yaml")).collect(Collectors.toCollection(TreeSet::new));
        }
        JsonNode kustomization = YAML.readTree(ROOT.resolve("k8s/kustomization.yaml").toFile());
        assertThat(new TreeSet<>(strings(kustomization.path("resources")))).isEqualTo(files);
        for (JsonNode doc : k8sDocuments()) {
            assertThat(doc.path("apiVersion").asText()).as("apiVersion of %s", doc).isNotBlank();
            assertThat(doc.path("kind").asText()).as("kind of %s", doc).isNotBlank();
            assertThat(doc.path("metadata").path("name").asText()).as("metadata.name of %s", doc.path("kind")).isNotBlank();
        }
    }

    @Test
    void theFlinkDeploymentRunsTheJobWithSavepointUpgradesAndDurableCheckpoints() throws IOException {
        JsonNode deployment = single("FlinkDeployment");
        assertPinned("FlinkDeployment", deployment.at("/spec/image").asText());
        assertThat(deployment.at("/spec/mode").asText()).as("two TaskManager pools need standalone mode").isEqualTo("standalone");
        JsonNode job = deployment.at("/spec/job");
        assertThat(job.path("jarURI").asText()).isEqualTo("local://" + JOB_JAR)
                .as("the operator mounts an emptyDir over usrlib on a standalone JobManager")
                .doesNotContain(OPERATOR_HIDDEN_DIRECTORY);
        assertThat(job.path("entryClass").asText()).isEqualTo(HrlfJob.class.getName());
        assertThat(job.path("upgradeMode").asText()).isEqualTo("savepoint");
        assertOnlyKnownJobOptions(strings(job.path("args")));

        Map<String, String> flink = stringMap(deployment.at("/spec/flinkConfiguration"));
        assertClusterSettingsTheJobNeeds("FlinkDeployment", flink);
        for (String durable : List.of("execution.checkpointing.dir", "execution.checkpointing.savepoint-dir",
                "high-availability.storageDir")) {
            assertThat(flink.get(durable)).as(durable).matches("(s3|gs|abfss?|hdfs)://.+");
        }
    }

    @Test
    void theScorerAsksForTheGpuThatTheGpuPoolDeclaresAndTheCpuPoolDoesNot() throws IOException {
        JsonNode deployment = single("FlinkDeployment");
        Map<String, String> flink = stringMap(deployment.at("/spec/flinkConfiguration"));
        String gpuResource = valueAfter(strings(deployment.at("/spec/job/args")), "--" + ScoringOptions.GPU_RESOURCE.key());
        assertThat(gpuResource).as("the job asks for a GPU resource").isNotBlank();
        assertThat(List.of(flink.getOrDefault("external-resources", "").split("[;,]"))).contains(gpuResource);
        String prefix = "external-resource." + gpuResource + ".";
        assertThat(flink.get(prefix + "driver-factory.class")).isEqualTo(GPU_DRIVER_FACTORY);
        assertThat(Integer.parseInt(flink.get(prefix + "amount"))).isPositive();
        assertThat(flink.get(prefix + "kubernetes.config-key")).isEqualTo(GPU_LIMIT);

        JsonNode gpuContainer = container(deployment.at("/spec/taskManager/podTemplate/spec"), "flink-main-container");
        assertThat(gpuContainer.at("/resources/limits").path(GPU_LIMIT).asInt(0))
                .as("GPU TaskManagers ask Kubernetes for the GPUs Flink will discover")
                .isEqualTo(Integer.parseInt(flink.get(prefix + "amount")));

        JsonNode cpuPool = cpuTaskManagers();
        assertThat(cpuPool.toString()).doesNotContain(GPU_LIMIT);
        assertThat(cpuTaskManagerConfig()).doesNotContainKey("external-resources");
    }

    @Test
    void bothTaskManagerPoolsShareTheClusterSettingsAndJoinTheSameCluster() throws IOException {
        Map<String, String> operator = stringMap(single("FlinkDeployment").at("/spec/flinkConfiguration"));
        Map<String, String> cpu = cpuTaskManagerConfig();
        for (String key : TASK_MANAGER_SETTINGS_SHARED_BY_BOTH_POOLS) {
            assertThat(cpu.get(key)).as(key).isNotNull().isEqualTo(operator.get(key));
        }
        assertThat(cpu.get("kubernetes.cluster-id")).isEqualTo(single("FlinkDeployment").at("/metadata/name").asText());
        JsonNode cpuPod = cpuTaskManagers().at("/spec/template/spec");
        String configDir = container(cpuPod, "taskmanager").path("env").findValues("name").stream()
                .filter(n -> n.asText().equals("FLINK_CONF_DIR")).findFirst().map(n -> "set").orElse("unset");
        assertThat(configDir).as("the CPU pool reads its own config map").isEqualTo("set");
        assertPinned("CPU TaskManagers", container(cpuPod, "taskmanager").path("image").asText());
    }

    @Test
    void theTopicsAreTheJobsDefaults() throws IOException {
        Set<String> topics = k8sDocuments().stream().filter(d -> d.path("kind").asText().equals("KafkaTopic"))
                .map(d -> d.at("/metadata/name").asText()).collect(Collectors.toCollection(TreeSet::new));
        assertThat(topics).isEqualTo(new TreeSet<>(jobTopics()));
        String kafkaVersion = single("Kafka").at("/spec/kafka/version").asText();
        assertThat(kafkaVersion).isEqualTo(AppInfoParser.getVersion());
    }

    @Test
    void everyPodRunsAsNonRootOnAReadOnlyFileSystemWithoutEscalation() throws IOException {
        List<JsonNode> podSpecs = new ArrayList<>();
        podSpecs.add(single("FlinkDeployment").at("/spec/podTemplate/spec"));
        podSpecs.add(cpuTaskManagers().at("/spec/template/spec"));
        for (JsonNode pod : podSpecs) {
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean(false)).as("runAsNonRoot").isTrue();
            assertThat(pod.at("/securityContext/runAsUser").asInt(0)).as("runAsUser").isPositive();
            assertThat(pod.path("containers")).isNotEmpty();
            for (JsonNode container : pod.path("containers")) {
                JsonNode security = container.path("securityContext");
                assertThat(security.path("readOnlyRootFilesystem").asBoolean(false)).as("read-only root").isTrue();
                assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).as("escalation").isFalse();
                assertThat(strings(security.at("/capabilities/drop"))).contains("ALL");
            }
        }
        assertThat(single("Namespace").at("/metadata/labels").path("pod-security.kubernetes.io/enforce").asText())
                .isEqualTo("restricted");
    }

    /**
     * The namespace enforces the restricted Pod Security level, so Strimzi's pods must meet it too: set in
     * the custom resources' templates, since the cluster operator's defaults do not (unless it runs with
     * STRIMZI_POD_SECURITY_PROVIDER_CLASS=restricted, which these manifests cannot see).
     */
    @Test
    void strimzisPodsMeetTheNamespacesRestrictedPodSecurityLevel() throws IOException {
        Map<String, JsonNode> templates = new LinkedHashMap<>();
        for (JsonNode pool : k8sDocuments().stream().filter(d -> d.path("kind").asText().equals("KafkaNodePool")).toList()) {
            templates.put("KafkaNodePool " + pool.at("/metadata/name").asText(), pool.at("/spec/template"));
        }
        templates.put("entity operator", single("Kafka").at("/spec/entityOperator/template"));
        templates.forEach((where, template) -> {
            JsonNode pod = template.at("/pod/securityContext");
            assertThat(pod.path("runAsNonRoot").asBoolean(false)).as("%s: pod runAsNonRoot", where).isTrue();
            assertThat(pod.at("/seccompProfile/type").asText()).as("%s: pod seccomp", where).isEqualTo("RuntimeDefault");
            List<String> containers = fieldNames(template).stream().filter(n -> n.endsWith("Container")).toList();
            assertThat(containers).as("%s: container templates", where).isNotEmpty();
            for (String container : containers) {
                JsonNode security = template.path(container).path("securityContext");
                assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).as("%s %s escalation", where, container).isFalse();
                assertThat(strings(security.at("/capabilities/drop"))).as("%s %s capabilities", where, container).contains("ALL");
            }
        });
    }

    /** The model reaches /models through a writable mount of an init container (the loader), read-only after. */
    @Test
    void theModelVolumeIsFilledByALoaderBeforeFlinkReadsIt() throws IOException {
        String modelPath = valueAfter(strings(single("FlinkDeployment").at("/spec/job/args")), "--" + JobOptions.MODEL_PATH.key());
        Map<String, JsonNode> pods = new LinkedHashMap<>();
        pods.put("FlinkDeployment", single("FlinkDeployment").at("/spec/podTemplate/spec"));
        pods.put("CPU TaskManagers", cpuTaskManagers().at("/spec/template/spec"));
        pods.forEach((where, pod) -> {
            String volume = mountOf(pod.path("containers"), modelPath).path("name").asText();
            assertThat(volume).as("%s mounts %s", where, modelPath).isNotEmpty();
            assertThat(pod.path("initContainers")).as("%s: an init container writes the model volume", where)
                    .anyMatch(init -> mountsWritable(init, volume));
        });
    }

    @Test
    void noCredentialIsWrittenInTheRepository() throws IOException {
        List<JsonNode> all = new ArrayList<>(k8sDocuments());
        all.add(composeFile());
        assertThat(all).noneMatch(d -> d.path("kind").asText().equals("Secret"));
        Pattern sensitive = Pattern.compile("(?i).*(password|secret|token|jaas|credential|access[-_]?key).*");
        for (JsonNode doc : all) {
            for (JsonNode env : doc.findValues("env")) {
                for (JsonNode variable : env) {
                    if (sensitive.matcher(variable.path("name").asText()).matches()) {
                        assertThat(variable.has("value")).as("%s is set by value", variable.path("name")).isFalse();
                        assertThat(variable.at("/valueFrom/secretKeyRef/name").asText()).isNotBlank();
                    }
                }
            }
            assertThat(allStrings(doc)).as("credentials in a manifest")
                    .noneMatch(s -> s.contains("password=") || s.contains("PRIVATE KEY"));
        }
    }

    // ---------------------------------------------------------------- published schemas and Flink's keys

    @Test
    void everyKubernetesDocumentValidatesAgainstThePublishedSchemaOfItsKind() throws IOException {
        SchemaCatalog schemas = new SchemaCatalog();
        for (JsonNode doc : k8sDocuments()) {
            assertThat(schemas.validate(doc)).as("%s %s against its published schema", doc.path("kind").asText(),
                    doc.at("/metadata/name").asText()).isEmpty();
        }
        // the FlinkDeployment's pod templates are free-form in the CRD: check them as the Pods they become
        JsonNode deployment = single("FlinkDeployment");
        for (String template : List.of("/spec/podTemplate", "/spec/taskManager/podTemplate")) {
            assertThat(schemas.validate(deployment.at(template))).as("FlinkDeployment %s as a Pod", template).isEmpty();
        }
    }

    @Test
    void composeValidatesAgainstTheComposeSpecification() throws IOException {
        assertThat(new SchemaCatalog().validateCompose(composeFile())).isEmpty();
        JsonNode kafka = composeFile().at("/services/kafka");
        String logDirs = kafka.at("/environment/KAFKA_LOG_DIRS").asText();
        assertThat(strings(kafka.path("volumes"))).as("Kafka's log directory %s is in a volume", logDirs)
                .anyMatch(volume -> !logDirs.isEmpty() && volume.endsWith(":" + logDirs));
    }

    @Test
    void everyFlinkKeyInTheManifestsIsAConfigOptionOfFlink() throws IOException {
        assertThat(FlinkConfigKeys.size()).as("Flink's option classes were found").isGreaterThan(500);
        Map<String, Map<String, String>> configurations = allFlinkConfigurations();
        configurations.put("Dockerfile", dockerfileFlinkKeys());
        configurations.forEach((where, config) -> assertThat(config.keySet())
                .as("keys in %s that Flink 2.2 does not define", where)
                .filteredOn(key -> !FlinkConfigKeys.isKnown(key)).isEmpty());
    }

    // ---------------------------------------------------------------- surviving a crash

    /** A restart strategy is named everywhere (Flink's default depends on whether checkpointing is on). */
    @Test
    void everyFlinkConfigurationHasARestartStrategyThatOneCrashCannotExhaust() throws IOException {
        allFlinkConfigurations().forEach((where, config) -> {
            assertThat(config).as("%s names its restart strategy", where)
                    .containsKey(RestartStrategyOptions.RESTART_STRATEGY.key());
            assertThat(restartsAllowedInARow(Configuration.fromMap(config)))
                    .as("restarts in a row that %s allows; one TaskManager crash costs %d", where, RESTARTS_ONE_CRASH_COSTS)
                    .isGreaterThan(RESTARTS_ONE_CRASH_COSTS);
        });
    }

    /**
     * A JobManager restarted without HA starts the job afresh and loses the windows fired but not yet
     * committed (issue 15); with ZooKeeper HA and a fixed job id it recovers the job from its checkpoint.
     */
    @Test
    void composesJobManagerIsRestartedAndRecoversItsJobThroughZooKeeper() throws IOException {
        JsonNode compose = composeFile();
        JsonNode services = compose.path("services");
        JsonNode jobManager = services.path("jobmanager");
        Configuration flink = Configuration.fromMap(flinkProperties(jobManager.at("/environment/FLINK_PROPERTIES").asText()));

        assertThat(flink.get(HighAvailabilityOptions.HA_MODE)).as("high-availability.type").isEqualToIgnoringCase("zookeeper");
        String quorum = flink.get(HighAvailabilityOptions.HA_ZOOKEEPER_QUORUM);
        assertThat(quorum).as("high-availability.zookeeper.quorum").isNotBlank();
        for (String server : quorum.split(",")) {
            String host = server.trim().split(":")[0];
            assertThat(fieldNames(services)).as("the quorum's %s is a compose service", host).contains(host);
            assertThat(services.path(host).path("image").asText()).as("service %s", host).startsWith("zookeeper:");
            assertThat(fieldNames(jobManager.path("depends_on"))).as("the JobManager waits for %s", host).contains(host);
        }
        assertThat(valueAfter(strings(jobManager.path("command")), "--job-id"))
                .as("a fixed job id, under which HA recovers the job").matches(JOB_ID);
        assertThat(flink.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
                .as("the last checkpoint kept on cancel, to restore from by hand")
                .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        assertThat(flink.get(JobResultStoreOptions.DELETE_ON_COMMIT))
                .as("a restarted container must find the ended job's result rather than run it again").isFalse();

        for (String service : List.of("jobmanager", "taskmanager")) {
            JsonNode container = services.path(service);
            assertThat(container.path("restart").asText()).as("restart policy of %s", service).isIn(RESTARTING_POLICIES);
            for (ConfigOption<String> shared : List.of(HighAvailabilityOptions.HA_STORAGE_PATH, CheckpointingOptions.CHECKPOINTS_DIRECTORY)) {
                String directory = flink.get(shared);
                assertThat(directory).as(shared.key()).startsWith("file:///");
                assertThat(namedVolumeHolding(compose, container, directory.substring("file://".length())))
                        .as("%s %s is on a named volume mounted in %s", shared.key(), directory, service).isNotNull();
            }
        }
    }

    @Test
    void theKubernetesClusterKeepsKubernetesHaAndRetainsItsCheckpoints() throws IOException {
        Map<String, Map<String, String>> configurations = Map.of(
                "FlinkDeployment", stringMap(single("FlinkDeployment").at("/spec/flinkConfiguration")),
                "CPU TaskManager ConfigMap", cpuTaskManagerConfig());
        configurations.forEach((where, config) -> {
            Configuration flink = Configuration.fromMap(config);
            assertThat(flink.get(HighAvailabilityOptions.HA_MODE)).as("high-availability.type in %s", where)
                    .isEqualToIgnoringCase("kubernetes");
            assertThat(flink.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION)).as("checkpoint retention in %s", where)
                    .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        });
    }

    // ---------------------------------------------------------------- who may reach what

    /** Every Flink configuration shipped refuses jar uploads through the REST API. */
    @Test
    void webSubmissionIsOffInEveryFlinkConfiguration() throws IOException {
        allFlinkConfigurations().forEach((where, config) -> assertThat(config.get("web.submit.enable"))
                .as("web.submit.enable in %s", where).isEqualTo("false"));
    }

    @Test
    void composePublishesEveryPortOnLoopbackOnly() throws IOException {
        List<String> published = new ArrayList<>();
        composeFile().path("services").fields().forEachRemaining(service ->
                strings(service.getValue().path("ports")).forEach(port -> published.add(service.getKey() + " " + port)));
        assertThat(published).as("published ports").isNotEmpty()
                .allSatisfy(port -> assertThat(port).as("published port").matches("\\S+ 127\\.0\\.0\\.1:\\d+:\\d+"));
    }

    @Test
    void theNamespaceRefusesIngressThatNoPolicyAllows() throws IOException {
        assertThat(networkPolicies()).as("a default-deny ingress policy").anyMatch(policy ->
                policy.at("/spec/podSelector").isEmpty() && strings(policy.at("/spec/policyTypes")).contains("Ingress")
                        && policy.at("/spec/ingress").isEmpty());
    }

    /** 8081 on the JobManager: only the operator; the metrics port: only Prometheus; nothing else opens either. */
    @Test
    void theRestPortIsReachableOnlyByTheOperatorAndTheMetricsPortOnlyByTheScraper() throws IOException {
        Map<String, String> jobManager = Map.of("app", single("FlinkDeployment").at("/metadata/name").asText(),
                "component", "jobmanager");
        Map<String, Set<String>> peersByPort = new LinkedHashMap<>();
        for (JsonNode policy : networkPolicies()) {
            if (!selects(policy.at("/spec/podSelector"), jobManager)) {
                continue;
            }
            for (JsonNode rule : policy.at("/spec/ingress")) {
                assertThat(rule.path("ports")).as("%s: a rule without ports opens every port", policy.at("/metadata/name"))
                        .isNotEmpty();
                for (JsonNode port : rule.path("ports")) {
                    Set<String> peers = peersByPort.computeIfAbsent(port.path("port").asText(), p -> new TreeSet<>());
                    assertThat(rule.path("from")).as("%s: a rule without peers admits everyone", policy.at("/metadata/name"))
                            .isNotEmpty();
                    rule.path("from").forEach(peer -> peers.add(peer.at("/podSelector/matchLabels").toString()));
                }
            }
        }
        assertThat(peersByPort.get("8081")).as("who reaches the REST port")
                .containsExactly("{\"app.kubernetes.io/name\":\"flink-kubernetes-operator\"}");
        assertThat(peersByPort.get(stringMap(single("FlinkDeployment").at("/spec/flinkConfiguration"))
                .get("metrics.reporter.prom.port"))).as("who reaches the metrics port")
                .containsExactly("{\"app.kubernetes.io/name\":\"prometheus\"}");
    }

    /**
     * The default deny must not cut the job's own connections: Flink's fixed internal ports between the
     * JobManager and both TaskManager pools, and Kafka's client listener from the Flink pods.
     */
    @Test
    void thePoliciesLetTheJobsOwnConnectionsThrough() throws IOException {
        String app = single("FlinkDeployment").at("/metadata/name").asText();
        Map<String, String> jobManager = Map.of("app", app, "component", "jobmanager");
        Map<String, String> gpuTaskManager = Map.of("app", app, "component", "taskmanager");
        Map<String, String> cpuTaskManager = stringMap(cpuTaskManagers().at("/spec/template/metadata/labels"));
        Map<String, String> flink = stringMap(single("FlinkDeployment").at("/spec/flinkConfiguration"));
        for (String port : List.of("jobmanager.rpc.port", "blob.server.port")) {
            for (Map<String, String> taskManager : List.of(gpuTaskManager, cpuTaskManager)) {
                assertThat(allows(jobManager, flink.get(port), taskManager))
                        .as("%s (%s) on the JobManager from %s", port, flink.get(port), taskManager).isTrue();
            }
        }
        for (String port : List.of("taskmanager.rpc.port", "taskmanager.data.port")) {
            for (Map<String, String> to : List.of(gpuTaskManager, cpuTaskManager)) {
                for (Map<String, String> from : List.of(jobManager, gpuTaskManager, cpuTaskManager)) {
                    assertThat(allows(to, flink.get(port), from)).as("%s (%s) on %s from %s", port, flink.get(port), to, from)
                            .isTrue();
                }
            }
        }
        JsonNode kafka = single("Kafka");
        String kafkaName = kafka.at("/metadata/name").asText();
        Map<String, String> broker = Map.of("strimzi.io/cluster", kafkaName, "strimzi.io/kind", "Kafka",
                "strimzi.io/name", kafkaName + "-kafka");
        String bootstrap = valueAfter(strings(single("FlinkDeployment").at("/spec/job/args")),
                "--" + JobOptions.BOOTSTRAP_SERVERS.key());
        String listener = bootstrap.substring(bootstrap.lastIndexOf(':') + 1);
        for (Map<String, String> client : List.of(jobManager, gpuTaskManager, cpuTaskManager)) {
            assertThat(allows(broker, listener, client)).as("Kafka %s from %s", listener, client).isTrue();
        }
    }

    /** Both pools encrypt RPC, blob and data connections with a keystore and truststore mounted from a Secret. */
    @Test
    void flinksInternalConnectionsUseTlsWithStoresMountedFromASecret() throws IOException {
        Map<String, JsonNode> pods = new LinkedHashMap<>();
        pods.put("FlinkDeployment", single("FlinkDeployment").at("/spec/podTemplate/spec"));
        pods.put("CPU TaskManagers", cpuTaskManagers().at("/spec/template/spec"));
        Map<String, Map<String, String>> configs = Map.of(
                "FlinkDeployment", stringMap(single("FlinkDeployment").at("/spec/flinkConfiguration")),
                "CPU TaskManagers", cpuTaskManagerConfig());
        pods.forEach((where, pod) -> {
            Map<String, String> config = configs.get(where);
            assertThat(config.get("security.ssl.internal.enabled")).as("%s: internal SSL", where).isEqualTo("true");
            assertThat(config).as("%s: no password in the manifest", where)
                    .doesNotContainKeys("security.ssl.internal.keystore-password", "security.ssl.internal.key-password",
                            "security.ssl.internal.truststore-password");
            for (String store : List.of("security.ssl.internal.keystore", "security.ssl.internal.truststore")) {
                String path = config.get(store);
                assertThat(path).as("%s: %s", where, store).isNotBlank();
                String volume = mountOf(pod.path("containers"), path).path("name").asText();
                assertThat(volume).as("%s: %s (%s) is mounted", where, store, path).isNotEmpty();
                JsonNode source = volumeNamed(pod, volume);
                assertThat(source.at("/secret/secretName").asText()).as("%s: volume %s is a Secret", where, volume).isNotBlank();
                String file = path.substring(path.lastIndexOf('/') + 1);
                assertThat(source.at("/secret/items").findValuesAsText("path")).as("%s: %s from the Secret", where, file)
                        .contains(file);
            }
        });
    }

    /** The listener the job connects to is TLS with SCRAM-SHA-512, and the cluster authorizes with ACLs. */
    @Test
    void theJobReachesKafkaOverSaslSslWithScram() throws IOException {
        List<String> args = strings(single("FlinkDeployment").at("/spec/job/args"));
        String bootstrap = valueAfter(args, "--" + JobOptions.BOOTSTRAP_SERVERS.key());
        int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
        JsonNode kafka = single("Kafka");
        assertThat(bootstrap).startsWith(kafka.at("/metadata/name").asText() + "-kafka-bootstrap:");
        List<JsonNode> listeners = new ArrayList<>();
        kafka.at("/spec/kafka/listeners").forEach(listeners::add);
        assertThat(listeners).filteredOn(l -> l.path("port").asInt() == port).singleElement().satisfies(listener -> {
            assertThat(listener.path("tls").asBoolean(false)).as("listener %s: tls", port).isTrue();
            assertThat(listener.at("/authentication/type").asText()).as("listener %s: authentication", port)
                    .isEqualTo("scram-sha-512");
        });
        assertThat(kafka.at("/spec/kafka/authorization/type").asText()).as("Kafka authorization").isEqualTo("simple");
        assertThat(valueAfter(args, "--hrlf.kafka.properties.security.protocol")).isEqualTo("SASL_SSL");
        assertThat(valueAfter(args, "--hrlf.kafka.properties.sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
        assertThat(valueAfter(args, "--hrlf.kafka.properties.sasl.jaas.config")).matches("\\$\\{env:[A-Z_]+}");
        assertThat(single("KafkaUser").at("/spec/authentication/type").asText()).isEqualTo("scram-sha-512");
    }

    /** The job's user may read its inputs in its group and write its outputs in its transactions: nothing more. */
    @Test
    void theJobsKafkaUserIsAllowedExactlyTheJobsTopicsGroupAndTransactionalIds() throws IOException {
        JsonNode user = single("KafkaUser");
        assertThat(user.at("/spec/authorization/type").asText()).isEqualTo("simple");
        Set<String> granted = new TreeSet<>();
        for (JsonNode acl : user.at("/spec/authorization/acls")) {
            assertThat(acl.path("type").asText("allow")).isEqualTo("allow");
            assertThat(acl.path("host").asText("*")).isEqualTo("*");
            JsonNode resource = acl.path("resource");
            for (String operation : strings(acl.path("operations"))) {
                granted.add(resource.path("type").asText() + " " + resource.path("patternType").asText("literal") + " "
                        + resource.path("name").asText() + " " + operation);
            }
        }
        Set<String> needed = new TreeSet<>();
        for (String input : List.of(JobOptions.TOPIC_TEXT.defaultValue(), JobOptions.TOPIC_AUDIO.defaultValue(),
                JobOptions.TOPIC_VISION.defaultValue())) {
            needed.add("topic literal " + input + " Read");
            needed.add("topic literal " + input + " Describe");
        }
        for (String output : List.of(JobOptions.TOPIC_SCORES.defaultValue(), JobOptions.TOPIC_DEAD_LETTER.defaultValue())) {
            needed.add("topic literal " + output + " Write");
            needed.add("topic literal " + output + " Describe");
        }
        needed.add("group literal " + JobOptions.GROUP_ID.defaultValue() + " Read");
        // HrlfJob's sinks use the prefix + "-" + the sink's name
        String transactions = JobOptions.TRANSACTIONAL_ID_PREFIX.defaultValue() + "-";
        needed.add("transactionalId prefix " + transactions + " Write");
        needed.add("transactionalId prefix " + transactions + " Describe");
        assertThat(granted).isEqualTo(needed);
    }

    // ---------------------------------------------------------------- scheduling arithmetic

    @Test
    void theGpuPoolOffersTheScorersSlotsAndTheCpuPoolTheDefaultSlots() throws IOException {
        JsonNode deployment = single("FlinkDeployment");
        Configuration job = jobConfiguration(strings(deployment.at("/spec/job/args")));
        int jobParallelism = deployment.at("/spec/job/parallelism").asInt();
        int scorers = job.getOptional(ScoringOptions.PARALLELISM).orElse(jobParallelism);
        String gpu = job.get(ScoringOptions.GPU_RESOURCE);
        assertThat(gpu).as("the job asks for a GPU").isNotBlank();

        TaskExecutorProcessSpec gpuTaskManager = gpuTaskManager(deployment);
        int gpuTaskManagers = deployment.at("/spec/taskManager/replicas").asInt();
        long gpusPerTaskManager = gpuTaskManager.getExtendedResources().containsKey(gpu)
                ? gpuTaskManager.getExtendedResources().get(gpu).getValue().longValue() : 0;
        assertThat((long) scorers).as("GPUs asked (scorer parallelism %d, one GPU each) <= GPUs offered (%d GPU "
                + "TaskManagers x %d)", scorers, gpuTaskManagers, gpusPerTaskManager)
                .isLessThanOrEqualTo(gpuTaskManagers * gpusPerTaskManager);

        MemorySize offHeapAsked = job.get(ScoringOptions.SLOT_TASK_OFF_HEAP);
        assertThat(gpuTaskManager.getTaskOffHeapSize().compareTo(offHeapAsked))
                .as("task off-heap asked by the scorer's slot (%s) <= configured on a GPU TaskManager (%s)",
                        offHeapAsked.toHumanReadableString(), gpuTaskManager.getTaskOffHeapSize().toHumanReadableString())
                .isGreaterThanOrEqualTo(0);
        MemorySize heapAsked = job.get(ScoringOptions.SLOT_TASK_HEAP);
        assertThat(gpuTaskManager.getTaskHeapSize().compareTo(heapAsked))
                .as("task heap asked by the scorer's slot (%s) <= a GPU TaskManager's (%s)",
                        heapAsked.toHumanReadableString(), gpuTaskManager.getTaskHeapSize().toHumanReadableString())
                .isGreaterThanOrEqualTo(0);
        double coresAsked = job.get(ScoringOptions.SLOT_CPU_CORES);
        double cores = gpuTaskManager.getCpuCores().getValue().doubleValue();
        assertThat(cores).as("CPU cores asked by the scorer's slot (%s) <= a GPU TaskManager's", coresAsked)
                .isGreaterThanOrEqualTo(coresAsked);

        // GPU TaskManagers hold nothing but scorer slots: as many slots as scorer slots fit, so the
        // default slot profile Flink derives for them is the scorer's and leaves no room for a default task
        long scorerSlotsPerTaskManager = Math.min(gpusPerTaskManager, (long) Math.floor(cores / coresAsked));
        assertThat((long) gpuTaskManager.getNumSlots()).as("slots of a GPU TaskManager = scorer slots it can hold")
                .isEqualTo(scorerSlotsPerTaskManager);

        Map<String, String> cpu = cpuTaskManagerConfig();
        int cpuSlots = cpuTaskManagers().at("/spec/replicas").asInt() * Integer.parseInt(cpu.get("taskmanager.numberOfTaskSlots"));
        assertThat(cpuSlots).as("default slots offered by the CPU pool >= the job's parallelism %d", jobParallelism)
                .isGreaterThanOrEqualTo(jobParallelism);
        assertThat(cpu).as("the CPU pool declares no external resource").doesNotContainKey("external-resources");
    }

    /**
     * The arithmetic above counts the scorer's group as the scorer alone: build the scoring part of the job
     * with the FlinkDeployment's arguments and check that only the scorer asks for the GPU slots, at the
     * scorer's parallelism, and that what follows it (router, sinks) is back in default slots.
     */
    @Test
    void onlyTheScorerTakesTheGpuSlotsAtTheScoringParallelism() throws IOException {
        JsonNode deployment = single("FlinkDeployment");
        Configuration job = jobConfiguration(strings(deployment.at("/spec/job/args")));
        int jobParallelism = deployment.at("/spec/job/parallelism").asInt();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(jobParallelism);
        DataStream<AssembledWindow> windows = env.fromSequence(0, 1).map(i -> new AssembledWindow())
                .returns(AssembledWindow.class);
        Scoring.attach(windows, "/models/unused", 1, new int[] {1, 1, 1}, job).sinkTo(new DiscardingSink<>());

        String gpuGroup = job.get(ScoringOptions.SLOT_SHARING_GROUP);
        List<StreamNode> nodes = List.copyOf(env.getStreamGraph().getStreamNodes());
        assertThat(nodes).filteredOn(n -> n.getSlotSharingGroup().equals(gpuGroup)).singleElement()
                .satisfies(scorer -> {
                    assertThat(scorer.getOperatorName()).startsWith("Score windows");
                    assertThat(scorer.getParallelism()).isEqualTo(job.get(ScoringOptions.PARALLELISM));
                });
        assertThat(nodes).filteredOn(n -> !n.getSlotSharingGroup().equals(gpuGroup))
                .allSatisfy(n -> assertThat(n.getParallelism()).as(n.getOperatorName()).isEqualTo(jobParallelism));
    }

    /** A GPU TaskManager's resources, as Flink itself derives them from the FlinkDeployment. */
    private static TaskExecutorProcessSpec gpuTaskManager(JsonNode deployment) {
        Configuration config = Configuration.fromMap(stringMap(deployment.at("/spec/flinkConfiguration")));
        // what the operator sets from taskManager.resource.memory
        config.setString("taskmanager.memory.process.size", deployment.at("/spec/taskManager/resource/memory").asText());
        return TaskExecutorProcessUtils.processSpecFromConfig(config);
    }

    /** The job's configuration from its {@code --key value} arguments, as the job reads them. */
    private static Configuration jobConfiguration(List<String> arguments) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < arguments.size(); i += 2) {
            assertThat(arguments.get(i)).as("job argument %d", i).startsWith("--");
            map.put(arguments.get(i).substring(2), arguments.get(i + 1));
        }
        return Configuration.fromMap(map);
    }

    private static List<String> dockerfile() throws IOException {
        return Files.readAllLines(ROOT.resolve("Dockerfile")).stream()
                .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    /** The instructions of the stage named {@code name}, its FROM first. */
    private static List<String> stage(List<String> lines, String name) {
        int from = lastIndexMatching(lines, l -> l.startsWith("FROM ") && l.endsWith(" AS " + name));
        assertThat(from).as("Dockerfile stage %s", name).isNotNegative();
        int next = from + 1;
        while (next < lines.size() && !lines.get(next).startsWith("FROM ")) {
            next++;
        }
        return lines.subList(from, next);
    }

    /** Flink keys the Dockerfile sets as {@code -D<key>=...} dynamic properties. */
    private static Map<String, String> dockerfileFlinkKeys() throws IOException {
        Map<String, String> keys = new LinkedHashMap<>();
        Matcher matcher = Pattern.compile("-D([a-z][a-z0-9.-]+)=(\\S*)").matcher(String.join("\n", dockerfile()));
        while (matcher.find()) {
            keys.put(matcher.group(1), matcher.group(2));
        }
        return keys;
    }

    // ---------------------------------------------------------------- helpers

    /**
     * How many restarts in a row the configured strategy allows before it fails the job: a crash's
     * restarts come seconds apart, inside any failure-rate interval and before any backoff reset.
     */
    private static int restartsAllowedInARow(Configuration flink) {
        String type = flink.get(RestartStrategyOptions.RESTART_STRATEGY).toLowerCase(java.util.Locale.ROOT);
        return switch (type) {
            case "exponential-delay", "exponentialdelay" -> flink.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS);
            case "fixed-delay", "fixeddelay" -> flink.get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS);
            case "failure-rate", "failurerate" -> flink.get(RestartStrategyOptions.RESTART_STRATEGY_FAILURE_RATE_MAX_FAILURES_PER_INTERVAL);
            default -> 0; // none, off, disable
        };
    }

    /** The named (top-level) volume that a service mounts at {@code path} or above it, or null. */
    private static String namedVolumeHolding(JsonNode compose, JsonNode service, String path) {
        List<String> named = fieldNames(compose.path("volumes"));
        for (String mount : strings(service.path("volumes"))) {
            String[] parts = mount.split(":");
            if (parts.length < 2 || !named.contains(parts[0]) || mount.endsWith(":ro")) {
                continue;
            }
            String target = parts[1].endsWith("/") ? parts[1] : parts[1] + "/";
            if ((path + "/").startsWith(target)) {
                return parts[0];
            }
        }
        return null;
    }

    /** The Flink configuration of every cluster shipped: the FlinkDeployment, the CPU pool, compose's services. */
    private static Map<String, Map<String, String>> allFlinkConfigurations() throws IOException {
        Map<String, Map<String, String>> configurations = new LinkedHashMap<>();
        configurations.put("FlinkDeployment", stringMap(single("FlinkDeployment").at("/spec/flinkConfiguration")));
        configurations.put("CPU TaskManager ConfigMap", cpuTaskManagerConfig());
        for (String service : List.of("jobmanager", "taskmanager")) {
            configurations.put("compose " + service, flinkProperties(
                    composeFile().at("/services/" + service + "/environment/FLINK_PROPERTIES").asText()));
        }
        return configurations;
    }

    private static List<JsonNode> networkPolicies() throws IOException {
        return k8sDocuments().stream().filter(d -> d.path("kind").asText().equals("NetworkPolicy")).toList();
    }

    /** Whether a label selector (matchLabels only, as these manifests write them) selects a pod with {@code labels}. */
    private static boolean selects(JsonNode selector, Map<String, String> labels) {
        assertThat(selector.has("matchExpressions")).as("matchExpressions are not evaluated here").isFalse();
        Map<String, String> wanted = stringMap(selector.path("matchLabels").isMissingNode()
                ? YAML.createObjectNode() : selector.path("matchLabels"));
        return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    /** Whether some policy lets a pod labelled {@code from} in this namespace reach {@code port} on a pod labelled {@code to}. */
    private static boolean allows(Map<String, String> to, String port, Map<String, String> from) throws IOException {
        for (JsonNode policy : networkPolicies()) {
            if (!selects(policy.at("/spec/podSelector"), to)) {
                continue;
            }
            for (JsonNode rule : policy.at("/spec/ingress")) {
                boolean portMatches = rule.path("ports").isEmpty()
                        || rule.path("ports").findValuesAsText("port").contains(port);
                boolean peerMatches = rule.path("from").isEmpty() || StreamSupport
                        .stream(rule.path("from").spliterator(), false)
                        .anyMatch(peer -> !peer.has("namespaceSelector") && !peer.has("ipBlock")
                                && selects(peer.path("podSelector"), from));
                if (portMatches && peerMatches) {
                    return true;
                }
            }
        }
        return false;
    }

    private static JsonNode volumeNamed(JsonNode podSpec, String name) {
        for (JsonNode volume : podSpec.path("volumes")) {
            if (volume.path("name").asText().equals(name)) {
                return volume;
            }
        }
        throw new AssertionError("no volume " + name + " in " + podSpec);
    }


    private static void assertClusterSettingsTheJobNeeds(String where, Map<String, String> flink) {
        assertThat(flink.get("classloader.parent-first-patterns.additional")).as(where)
                .contains("org.tensorflow.", "org.bytedeco.", "com.google.protobuf.");
        assertThat(flink.get("env.java.opts.all")).as(where)
                .contains("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=" + FeatureChunk.class.getPackageName());
    }

    /** Every {@code --hrlf.*} argument names an option the job defines (or a Kafka client property). */
    /** Every {@code --hrlf.*} argument is an option the job knows (the job refuses the others at start). */
    private static void assertOnlyKnownJobOptions(List<String> arguments) {
        Set<String> known = HrlfOptions.all().stream().map(ConfigOption::key).collect(Collectors.toCollection(TreeSet::new));
        for (String argument : arguments) {
            String key = argument.startsWith("--hrlf.") ? argument.substring(2) : null;
            if (key != null && HrlfOptions.PASS_THROUGH_PREFIXES.stream().noneMatch(key::startsWith)) {
                assertThat(known).as("job option %s", argument).contains(key);
            }
        }
    }

    private static List<String> jobTopics() {
        return List.of(JobOptions.TOPIC_TEXT.defaultValue(), JobOptions.TOPIC_AUDIO.defaultValue(),
                JobOptions.TOPIC_VISION.defaultValue(), JobOptions.TOPIC_SCORES.defaultValue(),
                JobOptions.TOPIC_DEAD_LETTER.defaultValue());
    }

    private static List<JsonNode> k8sDocuments() throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (Stream<Path> list = Files.list(ROOT.resolve("k8s"))) {
            for (Path file : list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                if (file.getFileName().toString().equals("kustomization.yaml")) {
                    continue;
                }
                try (var parser = YAML.getFactory().createParser(file.toFile())) {
                    YAML.readValues(parser, JsonNode.class).forEachRemaining(doc -> {
                        if (doc != null && !doc.isMissingNode() && !doc.isNull()) {
                            docs.add(doc);
                        }
                    });
                }
            }
        }
        return docs;
    }

    private static JsonNode single(String kind) throws IOException {
        List<JsonNode> matching = k8sDocuments().stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
        assertThat(matching).as("exactly one %s", kind).hasSize(1);
        return matching.get(0);
    }

    private static JsonNode cpuTaskManagers() throws IOException {
        List<JsonNode> pools = k8sDocuments().stream().filter(d -> d.path("kind").asText().equals("Deployment"))
                .filter(d -> d.at("/metadata/labels/pool").asText().equals("cpu")).toList();
        assertThat(pools).as("one Deployment labelled pool=cpu").hasSize(1);
        return pools.get(0);
    }

    private static Map<String, String> cpuTaskManagerConfig() throws IOException {
        JsonNode pod = cpuTaskManagers().at("/spec/template/spec");
        String configMap = null;
        for (JsonNode volume : pod.path("volumes")) {
            if (volume.has("configMap")) {
                configMap = volume.at("/configMap/name").asText();
            }
        }
        String name = configMap;
        JsonNode map = k8sDocuments().stream().filter(d -> d.path("kind").asText().equals("ConfigMap"))
                .filter(d -> d.at("/metadata/name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("the CPU pool's ConfigMap " + name + " is not in k8s/"));
        return stringMap(YAML.readTree(map.at("/data/config.yaml").asText()));
    }

    private static JsonNode container(JsonNode podSpec, String name) {
        for (JsonNode container : podSpec.path("containers")) {
            if (container.path("name").asText().equals(name)) {
                return container;
            }
        }
        throw new AssertionError("no container " + name + " in " + podSpec);
    }

    private static void assertPinned(String where, String image) {
        assertThat(image).as("image of %s", where).isNotBlank().doesNotEndWith(":latest").matches(PINNED_IMAGE);
    }

    /**
     * The compose file as compose reads it: SnakeYAML itself resolves the anchor and the merge key
     * ({@code <<: *flink-properties}), which Jackson's YAML parser leaves unresolved.
     */
    private static boolean mountsWritable(JsonNode container, String volume) {
        for (JsonNode mount : container.path("volumeMounts")) {
            if (mount.path("name").asText().equals(volume) && !mount.path("readOnly").asBoolean(false)) {
                return true;
            }
        }
        return false;
    }

    /** The volume mount of any of {@code containers} under which {@code path} lies. */
    private static JsonNode mountOf(JsonNode containers, String path) {
        for (JsonNode container : containers) {
            for (JsonNode mount : container.path("volumeMounts")) {
                if (path.startsWith(mount.path("mountPath").asText() + "/")) {
                    return mount;
                }
            }
        }
        return MissingNode.getInstance();
    }

    private static JsonNode composeFile() throws IOException {
        try (var reader = Files.newBufferedReader(ROOT.resolve("docker-compose.yml"))) {
            Object parsed = new org.yaml.snakeyaml.Yaml().load(reader);
            return YAML.valueToTree(parsed);
        }
    }

    private static Map<String, String> flinkProperties(String properties) throws IOException {
        return stringMap(YAML.readTree(properties));
    }

    private static Map<String, String> stringMap(JsonNode node) {
        assertThat(node.isObject()).as("a map: %s", node).isTrue();
        Map<String, String> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(v -> values.add(v.asText()));
        } else if (!node.isMissingNode()) {
            values.addAll(List.of(node.asText().trim().split("\\s+")));
        }
        return values;
    }

    private static String text(JsonNode node) {
        return String.join(" ", strings(node));
    }

    private static String valueAfter(List<String> arguments, String flag) {
        int at = arguments.indexOf(flag);
        assertThat(at).as("%s in %s", flag, arguments).isNotNegative().isLessThan(arguments.size() - 1);
        return arguments.get(at + 1);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> allStrings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isTextual()) {
            values.add(node.asText());
        }
        node.forEach(child -> values.addAll(allStrings(child)));
        return values;
    }

    private static int lastIndexMatching(List<String> lines, java.util.function.Predicate<String> predicate) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (predicate.test(lines.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
