package io.hrlf.demo;

import io.hrlf.contract.ModelMetadata;
import io.hrlf.job.JobOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hrlf-demo.jar simulate}: the demo's call simulator against any Kafka cluster, as the feature
 * producer of a cluster run (docker-compose, the standalone-cluster test).
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Publish simulated calls (with the demo's scripted failures) to the three feature topics.")
final class SimulateCommand implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers")
    String bootstrapServers;
    @Option(names = "--model", description = "Model directory whose metadata gives the feature dimensions "
            + "(default: the demo model's dims 32/16/16)")
    Path model;
    @Mixin
    SimulatedCalls simulatedCalls;
    @Option(names = "--property", description = "Kafka producer property, e.g. --property security.protocol=SASL_SSL")
    Map<String, String> properties = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        int[] dims = model == null ? SyntheticDemoModel.DIMS : ModelMetadata.read(model).dimensionsInOrder();
        String[] topics = {JobOptions.TOPIC_TEXT.defaultValue(), JobOptions.TOPIC_AUDIO.defaultValue(),
            JobOptions.TOPIC_VISION.defaultValue()};
        List<List<SimulatedParticipant>> participants = simulatedCalls.participants(dims);
        for (int c = 0; c < participants.size(); c++) {
            for (int p = 0; p < participants.get(c).size(); p++) {
                System.out.printf("  %-14s %s%n", participants.get(c).get(p).key(), DemoScript.describe(c, p));
            }
        }
        Properties props = new Properties();
        props.putAll(properties);
        props.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        long seconds = simulatedCalls.seconds();
        long start = (System.currentTimeMillis() / 1000 + 1) * 1000;
        try (KafkaProducer<byte[], byte[]> producer = DemoMain.producer(props)) {
            CallSimulator simulator = new CallSimulator(producer, topics, participants, dims, start, seconds);
            Runtime.getRuntime().addShutdownHook(new Thread(simulator::stop));
            System.out.printf("publishing to %s at %s%n", String.join(", ", topics), bootstrapServers);
            simulator.run();
        }
        return 0;
    }
}
