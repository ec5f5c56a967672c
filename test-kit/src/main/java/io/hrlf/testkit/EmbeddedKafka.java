package io.hrlf.testkit;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * Real Kafka brokers inside the test JVM: KRaft mode, each node a combined broker and controller on
 * 127.0.0.1 (or a bind address the demo's operator chose) with random free ports and a temporary log
 * directory. {@link #start()} is one node configured so that it alone serves transactions (the
 * exactly-once sinks need them); {@link #startCluster(int)} is several nodes forming one controller
 * quorum, every topic (the internal offsets and transaction state logs too) replicated to
 * {@value #CLUSTER_REPLICATION} nodes with {@code min.insync.replicas} {@value #CLUSTER_MIN_ISR}, so
 * that one node can be stopped ({@link #stop(int)}) and nothing acknowledged is lost.
 * Plaintext by default; {@link #startSecured()} demands SASL_SSL and ACLs.
 */
public final class EmbeddedKafka implements AutoCloseable {
    /** SCRAM's iteration count: the minimum Kafka accepts, which is plenty for a throw-away test password. */
    private static final int SCRAM_ITERATIONS = 4096;
    private static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(30);
    /** Replicas of every topic of a cluster: a write survives the loss of any one node. */
    public static final int CLUSTER_REPLICATION = 3;
    /** In-sync replicas an acks=all write (every transactional write) needs: one node may be down. */
    public static final int CLUSTER_MIN_ISR = 2;
    /**
     * How long a cluster's controller waits for a silent node before moving its leaderships away
     * (Kafka's default is 9 s): short, so that a stopped node's partitions fail over within a test.
     */
    private static final Duration CLUSTER_SESSION_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration CLUSTER_HEARTBEAT = Duration.ofMillis(500);

    private final List<Node> nodes;
    private final String bootstrapServers;
    private final BrokerSecurity security;

    /** One KRaft node: its settings (kept for a restart on the same ports and directory) and its server while it runs. */
    private static final class Node {
        final int id;
        final Path logDir;
        final Properties config;
        KafkaRaftServer server;

        Node(int id, Path logDir, Properties config) {
            this.id = id;
            this.logDir = logDir;
            this.config = config;
        }

        /** Stops the server if it runs; its ports and log directory stay for a restart. */
        void shutdown() {
            if (server != null) {
                server.shutdown();
                server.awaitShutdown();
                server = null;
            }
        }
    }

    private EmbeddedKafka(List<Node> nodes, String bootstrapServers, BrokerSecurity security) {
        this.nodes = nodes;
        this.bootstrapServers = bootstrapServers;
        this.security = security;
    }

    /** A plaintext broker on the loopback, for tests and the demo. */
    public static EmbeddedKafka start() {
        return start(BindAddress.LOOPBACK);
    }

    /** A plaintext broker whose client listener binds to {@code bindAddress} (the controller stays on the loopback). */
    public static EmbeddedKafka start(String bindAddress) {
        return start(bindAddress, null, 1);
    }

    /**
     * {@code size} plaintext nodes on the loopback forming one cluster (at least {@value #CLUSTER_REPLICATION}):
     * each is a broker and a voter of the controller quorum, so the cluster keeps its metadata and its
     * partitions when any one node stops. A stopped node does not hand its leaderships over first
     * ({@code controlled.shutdown.enable=false}): the controller moves them when the node's session
     * times out, as after a crash.
     */
    public static EmbeddedKafka startCluster(int size) {
        if (size < CLUSTER_REPLICATION) {
            throw new IllegalArgumentException("a cluster has at least " + CLUSTER_REPLICATION + " nodes, not " + size);
        }
        return start(BindAddress.LOOPBACK, null, size);
    }

    /**
     * A broker that demands SASL_SSL with SCRAM-SHA-512 and authorizes every request against ACLs
     * ({@link BrokerSecurity}); {@link #clientProperties()} then connect as its super user, and
     * {@link #createUser} and {@link #createAcls} set up the principals a test needs.
     */
    public static EmbeddedKafka startSecured() {
        try {
            Path secrets = Files.createTempDirectory("hrlf-kafka-tls-");
            return start(BindAddress.LOOPBACK, new BrokerSecurity(TestCertificates.create(secrets)), 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static EmbeddedKafka start(String bindAddress, BrokerSecurity security, int size) {
        try {
            String clusterId = Uuid.randomUuid().toString();
            String listener = security == null ? "PLAINTEXT" : BrokerSecurity.LISTENER;
            String advertisedHost = BindAddress.reachableAs(bindAddress);
            int[] brokerPorts = new int[size];
            int[] controllerPorts = new int[size];
            List<String> voters = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                brokerPorts[i] = freePort(bindAddress);
                controllerPorts[i] = freePort(BindAddress.LOOPBACK);
                voters.add(nodeId(i) + "@127.0.0.1:" + controllerPorts[i]);
            }
            boolean cluster = size > 1;
            String replication = String.valueOf(cluster ? CLUSTER_REPLICATION : 1);
            String minIsr = String.valueOf(cluster ? CLUSTER_MIN_ISR : 1);
            List<Node> nodes = new ArrayList<>();
            List<String> bootstrap = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                Path logDir = Files.createTempDirectory("hrlf-kafka-");
                Properties props = new Properties();
                props.setProperty("process.roles", "broker,controller");
                props.setProperty("node.id", String.valueOf(nodeId(i)));
                props.setProperty("controller.quorum.voters", String.join(",", voters));
                props.setProperty("listeners", listener + "://" + bindAddress + ":" + brokerPorts[i]
                        + ",CONTROLLER://127.0.0.1:" + controllerPorts[i]);
                props.setProperty("advertised.listeners", listener + "://" + advertisedHost + ":" + brokerPorts[i]);
                props.setProperty("controller.listener.names", "CONTROLLER");
                props.setProperty("inter.broker.listener.name", "PLAINTEXT");
                props.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
                props.setProperty("log.dirs", logDir.toString());
                props.setProperty("num.partitions", "1");
                props.setProperty("auto.create.topics.enable", "false");
                props.setProperty("default.replication.factor", replication);
                props.setProperty("min.insync.replicas", minIsr);
                props.setProperty("offsets.topic.replication.factor", replication);
                props.setProperty("offsets.topic.num.partitions", "1");
                props.setProperty("transaction.state.log.replication.factor", replication);
                props.setProperty("transaction.state.log.min.isr", minIsr);
                // one partition: one transaction coordinator for every transactional id, which a test can name
                props.setProperty("transaction.state.log.num.partitions", "1");
                props.setProperty("group.initial.rebalance.delay.ms", "0");
                props.setProperty("log.flush.interval.messages", "1");
                // The job stamps a score with its window's event time, and the test streams start at 1970: by
                // time, every such record is past any retention, and the first retention check (30 s after
                // start) deleted the scores of a test's first windows before it read them. Keep everything.
                props.setProperty("log.retention.ms", "-1");
                if (cluster) {
                    props.setProperty("controlled.shutdown.enable", "false");
                    props.setProperty("broker.session.timeout.ms", String.valueOf(CLUSTER_SESSION_TIMEOUT.toMillis()));
                    props.setProperty("broker.heartbeat.interval.ms", String.valueOf(CLUSTER_HEARTBEAT.toMillis()));
                }
                List<String> format = new ArrayList<>(List.of("format", "-t", clusterId));
                if (security != null) {
                    props.putAll(security.brokerProperties());
                    format.addAll(List.of("--add-scram", security.adminScramCredential()));
                }
                format(props, logDir, format);
                nodes.add(new Node(nodeId(i), logDir, props));
                bootstrap.add(advertisedHost + ":" + brokerPorts[i]);
            }
            EmbeddedKafka kafka = new EmbeddedKafka(nodes, String.join(",", bootstrap), security);
            kafka.startServers(nodes);
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int nodeId(int index) {
        return index + 1;
    }

    private static void format(Properties props, Path logDir, List<String> format) throws IOException {
        Path configFile = logDir.resolveSibling(logDir.getFileName() + ".properties");
        try (var out = Files.newOutputStream(configFile)) {
            props.store(out, "embedded test broker");
        }
        format.addAll(List.of("-c", configFile.toString()));
        PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        int formatted = StorageTool.execute(format.toArray(String[]::new), quiet);
        Files.deleteIfExists(configFile);
        if (formatted != 0) {
            throw new IllegalStateException("kafka storage format failed with exit code " + formatted);
        }
    }

    /**
     * Starts the nodes' servers together: a node's start-up waits for a controller quorum, which
     * needs a majority of the nodes running.
     */
    private void startServers(List<Node> toStart) {
        // a thread per node: the common pool may have a single thread on a small machine
        ExecutorService starters = Executors.newFixedThreadPool(toStart.size());
        try {
            List<CompletableFuture<Void>> started = new ArrayList<>();
            for (Node node : toStart) {
                started.add(CompletableFuture.runAsync(() -> node.server = startServer(node.config), starters));
            }
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            close();
            throw new IllegalStateException("embedded Kafka did not start", e.getCause());
        } finally {
            starters.shutdown();
        }
    }

    /** The node ids of a cluster (1..size), to {@link #stop(int)} one of them. */
    public List<Integer> nodeIds() {
        return nodes.stream().map(node -> node.id).toList();
    }

    /**
     * Stops node {@code nodeId} and keeps it down: its sockets close at once, and in a cluster its
     * partitions and coordinators move to the other nodes only when its session times out (no
     * controlled shutdown), as after a crash of its process.
     */
    public synchronized void stop(int nodeId) {
        Node node = nodes.stream().filter(n -> n.id == nodeId).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + nodeId + " in " + nodeIds()));
        if (node.server == null) {
            throw new IllegalStateException("node " + nodeId + " is already stopped");
        }
        node.shutdown();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Properties to connect with; on a secured broker as its super user. */
    public Properties clientProperties() {
        Properties props = security == null ? new Properties() : security.adminClientProperties();
        props.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    /** Properties to connect to the secured broker as {@code user} (TLS trust and SASL included). */
    public Properties clientProperties(String user, String password) {
        Properties props = requireSecured().clientProperties(user, password);
        props.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    /** Creates a SCRAM principal through the Admin API and waits until the broker knows it. */
    public void createUser(String user, String password) {
        requireSecured();
        try (Admin admin = Admin.create(clientProperties())) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS), password))).all().get();
            awaitVisible(() -> admin.describeUserScramCredentials(List.of(user)).all().get().containsKey(user),
                    "SCRAM credential of " + user);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create user " + user, e);
        }
    }

    /** Adds ACLs through the Admin API and waits until the broker's authorizer has them. */
    public void createAcls(Collection<AclBinding> acls) {
        requireSecured();
        try (Admin admin = Admin.create(clientProperties())) {
            admin.createAcls(acls).all().get();
            awaitVisible(() -> admin.describeAcls(AclBindingFilter.ANY).values().get().containsAll(acls), "ACLs");
        } catch (Exception e) {
            throw new IllegalStateException("cannot create ACLs " + acls, e);
        }
    }

    /**
     * Deletes {@code user}'s SCRAM credential and waits until the broker no longer knows it: new
     * connections as the user then fail to authenticate (connections already authenticated stay open,
     * as Kafka does without {@code connections.max.reauth.ms}).
     */
    public void deleteUser(String user) {
        requireSecured();
        try (Admin admin = Admin.create(clientProperties())) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion(user, ScramMechanism.SCRAM_SHA_512)))
                    .all().get();
            awaitVisible(() -> !admin.describeUserScramCredentials().all().get().containsKey(user),
                    "deletion of the SCRAM credential of " + user);
        } catch (Exception e) {
            throw new IllegalStateException("cannot delete user " + user, e);
        }
    }

    /** Deletes the ACLs {@code filter} matches and waits until the broker's authorizer has none of them; returns them. */
    public Collection<AclBinding> deleteAcls(AclBindingFilter filter) {
        requireSecured();
        try (Admin admin = Admin.create(clientProperties())) {
            Collection<AclBinding> deleted = admin.deleteAcls(List.of(filter)).all().get();
            awaitVisible(() -> admin.describeAcls(filter).values().get().isEmpty(), "deletion of ACLs " + filter);
            return deleted;
        } catch (Exception e) {
            throw new IllegalStateException("cannot delete ACLs " + filter, e);
        }
    }

    private BrokerSecurity requireSecured() {
        if (security == null) {
            throw new IllegalStateException("not a secured broker: start it with EmbeddedKafka.startSecured()");
        }
        return security;
    }

    private static void awaitVisible(Callable<Boolean> condition, String what) throws Exception {
        long deadline = System.nanoTime() + VISIBILITY_TIMEOUT.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " not visible on the broker after " + VISIBILITY_TIMEOUT);
            }
            Thread.sleep(50);
        }
    }

    /** Replicas of a new topic: one on a single broker, {@value #CLUSTER_REPLICATION} in a cluster. */
    public short replicationFactor() {
        return (short) (nodes.size() > 1 ? CLUSTER_REPLICATION : 1);
    }

    /** Topics with {@code partitions} partitions each, replicated {@link #replicationFactor()} times. */
    public void createTopics(int partitions, String... topics) {
        List<NewTopic> newTopics = new ArrayList<>();
        for (String topic : topics) {
            newTopics.add(new NewTopic(topic, partitions, replicationFactor()));
        }
        try (Admin admin = Admin.create(clientProperties())) {
            admin.createTopics(newTopics).all().get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topics " + List.of(topics), e);
        }
    }

    /**
     * Stops every node, waits {@code down}, and starts them again on the same ports and log directories
     * (a restart as an operator would do it: the data, offsets and transaction state survive).
     */
    public synchronized void restart(Duration down) throws InterruptedException {
        nodes.forEach(Node::shutdown);
        Thread.sleep(down.toMillis());
        startServers(nodes);
    }

    private static KafkaRaftServer startServer(Properties config) {
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
        server.startup();
        return server;
    }

    @Override
    public synchronized void close() {
        for (Node node : nodes) {
            node.shutdown();
            try (Stream<Path> files = Files.walk(node.logDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp dir left behind is harmless
            }
        }
    }

    private static int freePort(String bindAddress) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName(bindAddress))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
