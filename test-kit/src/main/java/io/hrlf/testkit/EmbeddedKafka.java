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
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real Kafka broker inside the test JVM: KRaft mode, one combined broker and controller on
 * 127.0.0.1 (or a bind address the demo's operator chose) with random free ports and a temporary log
 * directory, configured so that a single node serves transactions (the exactly-once sinks need them).
 * Plaintext by default; {@link #startSecured()} demands SASL_SSL and ACLs.
 */
public final class EmbeddedKafka implements AutoCloseable {
    /** SCRAM's iteration count: the minimum Kafka accepts, which is plenty for a throw-away test password. */
    private static final int SCRAM_ITERATIONS = 4096;
    private static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(30);
    private final Path logDir;
    private final String bootstrapServers;
    private final Properties config;
    private final BrokerSecurity security;
    private KafkaRaftServer server;

    private EmbeddedKafka(Path logDir, String bootstrapServers, Properties config, BrokerSecurity security,
            KafkaRaftServer server) {
        this.logDir = logDir;
        this.bootstrapServers = bootstrapServers;
        this.config = config;
        this.security = security;
        this.server = server;
    }

    /** A plaintext broker on the loopback, for tests and the demo. */
    public static EmbeddedKafka start() {
        return start(BindAddress.LOOPBACK);
    }

    /** A plaintext broker whose client listener binds to {@code bindAddress} (the controller stays on the loopback). */
    public static EmbeddedKafka start(String bindAddress) {
        return start(bindAddress, null);
    }

    /**
     * A broker that demands SASL_SSL with SCRAM-SHA-512 and authorizes every request against ACLs
     * ({@link BrokerSecurity}); {@link #clientProperties()} then connect as its super user, and
     * {@link #createUser} and {@link #createAcls} set up the principals a test needs.
     */
    public static EmbeddedKafka startSecured() {
        try {
            Path secrets = Files.createTempDirectory("hrlf-kafka-tls-");
            return start(BindAddress.LOOPBACK, new BrokerSecurity(TestCertificates.create(secrets)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static EmbeddedKafka start(String bindAddress, BrokerSecurity security) {
        try {
            Path logDir = Files.createTempDirectory("hrlf-kafka-");
            int brokerPort = freePort(bindAddress);
            int controllerPort = freePort(BindAddress.LOOPBACK);
            String listener = security == null ? "PLAINTEXT" : BrokerSecurity.LISTENER;
            String advertisedHost = BindAddress.reachableAs(bindAddress);
            Properties props = new Properties();
            props.setProperty("process.roles", "broker,controller");
            props.setProperty("node.id", "1");
            props.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
            props.setProperty("listeners", listener + "://" + bindAddress + ":" + brokerPort
                    + ",CONTROLLER://127.0.0.1:" + controllerPort);
            props.setProperty("advertised.listeners", listener + "://" + advertisedHost + ":" + brokerPort);
            props.setProperty("controller.listener.names", "CONTROLLER");
            props.setProperty("inter.broker.listener.name", "PLAINTEXT");
            props.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            props.setProperty("log.dirs", logDir.toString());
            props.setProperty("num.partitions", "1");
            props.setProperty("auto.create.topics.enable", "false");
            props.setProperty("offsets.topic.replication.factor", "1");
            props.setProperty("offsets.topic.num.partitions", "1");
            props.setProperty("transaction.state.log.replication.factor", "1");
            props.setProperty("transaction.state.log.min.isr", "1");
            props.setProperty("transaction.state.log.num.partitions", "1");
            props.setProperty("group.initial.rebalance.delay.ms", "0");
            props.setProperty("log.flush.interval.messages", "1");
            List<String> format = new ArrayList<>(List.of("format", "-t", Uuid.randomUuid().toString()));
            if (security != null) {
                props.putAll(security.brokerProperties());
                format.addAll(List.of("--add-scram", security.adminScramCredential()));
            }

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
            return new EmbeddedKafka(logDir, advertisedHost + ":" + brokerPort, props, security, startServer(props));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    public void createTopics(int partitions, String... topics) {
        List<NewTopic> newTopics = new ArrayList<>();
        for (String topic : topics) {
            newTopics.add(new NewTopic(topic, partitions, (short) 1));
        }
        try (Admin admin = Admin.create(clientProperties())) {
            admin.createTopics(newTopics).all().get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topics " + List.of(topics), e);
        }
    }

    /**
     * Stops the broker, waits {@code down}, and starts it again on the same ports and log directory
     * (a broker restart as an operator would do it: the data, offsets and transaction state survive).
     */
    public synchronized void restart(Duration down) throws InterruptedException {
        server.shutdown();
        server.awaitShutdown();
        Thread.sleep(down.toMillis());
        server = startServer(config);
    }

    private static KafkaRaftServer startServer(Properties config) {
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
        server.startup();
        return server;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        try (Stream<Path> files = Files.walk(logDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }

    private static int freePort(String bindAddress) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName(bindAddress))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
