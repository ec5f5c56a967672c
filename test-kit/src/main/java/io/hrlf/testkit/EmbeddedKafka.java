package io.hrlf.testkit;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real Kafka broker inside the test JVM: KRaft mode, one combined broker and controller on
 * 127.0.0.1 with random free ports and a temporary log directory, configured so that a single node
 * serves transactions (the exactly-once sinks need them).
 */
public final class EmbeddedKafka implements AutoCloseable {
    private final Path logDir;
    private final int brokerPort;
    private final Properties config;
    private KafkaRaftServer server;

    private EmbeddedKafka(Path logDir, int brokerPort, Properties config, KafkaRaftServer server) {
        this.logDir = logDir;
        this.brokerPort = brokerPort;
        this.config = config;
        this.server = server;
    }

    public static EmbeddedKafka start() {
        try {
            Path logDir = Files.createTempDirectory("hrlf-kafka-");
            int brokerPort = freePort();
            int controllerPort = freePort();
            Properties props = new Properties();
            props.setProperty("process.roles", "broker,controller");
            props.setProperty("node.id", "1");
            props.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
            props.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
            props.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
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

            Path configFile = logDir.resolveSibling(logDir.getFileName() + ".properties");
            try (var out = Files.newOutputStream(configFile)) {
                props.store(out, "embedded test broker");
            }
            PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            int formatted = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(),
                    "-c", configFile.toString()}, quiet);
            Files.deleteIfExists(configFile);
            if (formatted != 0) {
                throw new IllegalStateException("kafka storage format failed with exit code " + formatted);
            }
            return new EmbeddedKafka(logDir, brokerPort, props, startServer(props));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    public Properties clientProperties() {
        Properties props = new Properties();
        props.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
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

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
