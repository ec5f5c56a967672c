package io.hrlf.demo;

import io.hrlf.contract.ModelMetadata;
import io.hrlf.consumer.ScoreTail;
import io.hrlf.job.HrlfJob;
import io.hrlf.job.JobOptions;
import io.hrlf.scoring.ScoringOptions;
import io.hrlf.testkit.BindAddress;
import io.hrlf.testkit.CommittedConsumer;
import io.hrlf.testkit.EmbeddedKafka;
import io.hrlf.window.WindowOptions;
import io.hrlf.wire.WireFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The live demo: an embedded Kafka broker, the streaming job on a local Flink cluster with its
 * dashboard, a call simulator with scripted failures, and a console view of the scores. Nothing to
 * install but a JDK.
 */
@Command(name = "hrlf-demo", mixinStandardHelpOptions = true,
        subcommands = {SimulateCommand.class, TrainModelCommand.class, ScoreTail.class},
        description = "Live demo: simulated calls -> embedded Kafka -> Flink (dashboard on http://127.0.0.1:<port>) "
                + "-> HRLF scores on the console. Subcommands are the same parts for a real cluster.")
public final class DemoMain implements Callable<Integer> {
    @Mixin
    SimulatedCalls simulatedCalls;
    @Option(names = "--model", description = "An exported model (e.g. from hrlf-train.jar); default: train one on "
            + "synthetic calls now")
    Path model;
    @Option(names = "--port", defaultValue = "8081", description = "Flink dashboard port (default ${DEFAULT-VALUE})")
    int port;
    @Option(names = "--bind-address", defaultValue = BindAddress.LOOPBACK,
            description = "Address every port of the demo listens on: the Flink dashboard and REST API, Flink's RPC "
                    + "and blob server, the Kafka broker (default ${DEFAULT-VALUE}, this machine only; 0.0.0.0 opens "
                    + "them to the network, with no authentication)")
    String bindAddress;
    @Option(names = "--epochs", defaultValue = "12", description = "Epochs for the on-the-fly model (default ${DEFAULT-VALUE})")
    int epochs;

    public static void main(String[] args) {
        // generated Avro classes must be trusted before anything decodes them
        System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "io.hrlf.avro");
        System.exit(new CommandLine(new DemoMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path modelDir = model != null ? model : trainSyntheticModel();
        ModelMetadata metadata = ModelMetadata.read(modelDir);
        int[] dims = metadata.dimensionsInOrder();
        long effectiveSeconds = simulatedCalls.seconds();
        Configuration jobConfig = new Configuration();
        String[] topics = {JobOptions.TOPIC_TEXT.defaultValue(), JobOptions.TOPIC_AUDIO.defaultValue(),
            JobOptions.TOPIC_VISION.defaultValue()};

        System.out.printf("starting embedded Kafka (KRaft, %s)...%n", bindAddress);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(bindAddress)) {
            kafka.createTopics(1, topics[0], topics[1], topics[2], JobOptions.TOPIC_SCORES.defaultValue(),
                    JobOptions.TOPIC_DEAD_LETTER.defaultValue());
            jobConfig.set(JobOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            jobConfig.set(JobOptions.MODEL_PATH, modelDir.toString());
            jobConfig.set(WindowOptions.SIZE, Duration.ofSeconds(5));
            jobConfig.set(WindowOptions.SLIDE, Duration.ofSeconds(5));
            jobConfig.set(WindowOptions.ALLOWED_LATENESS, Duration.ofSeconds(2));
            jobConfig.set(ScoringOptions.BATCH_MAX_WAIT, Duration.ofMillis(20));

            StreamExecutionEnvironment env = DemoCluster.environment(bindAddress, port);
            env.setParallelism(2);
            env.enableCheckpointing(2_000);
            HrlfJob.build(env, jobConfig);
            JobClient job = env.executeAsync("HRLF live demo");
            System.out.printf("Flink dashboard: http://%s:%d  (job %s)%n", BindAddress.reachableAs(bindAddress), port,
                    job.getJobID());

            List<List<SimulatedParticipant>> participants = simulatedCalls.participants(dims);
            ScoreConsole console = new ScoreConsole(System.out);
            for (int c = 0; c < participants.size(); c++) {
                for (int p = 0; p < participants.get(c).size(); p++) {
                    SimulatedParticipant who = participants.get(c).get(p);
                    String note = DemoScript.describe(c, p);
                    console.register(who, note);
                    System.out.printf("  %-14s %s%n", who.key(), note);
                }
            }
            long start = (System.currentTimeMillis() / 1000 + 1) * 1000;
            CallSimulator simulator;
            try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
                simulator = new CallSimulator(producer, topics, participants, dims, start, effectiveSeconds);
                Thread simulation = new Thread(simulator, "call-simulator");
                simulation.setDaemon(true);
                simulation.start();
                // Ctrl-C: stop the calls and still print the summary of what was scored
                AtomicBoolean interrupted = new AtomicBoolean();
                Thread onCtrlC = new Thread(() -> {
                    interrupted.set(true);
                    simulator.stop();
                    System.out.println(console.summary());
                });
                Runtime.getRuntime().addShutdownHook(onCtrlC);
                String scoreTopic = JobOptions.TOPIC_SCORES.defaultValue();
                System.out.println("scores (read_committed from " + scoreTopic + "; windows are 5 s, scores follow "
                        + "each checkpoint):");
                // after the calls end, wait for the last windows: watermark delay + lateness + a checkpoint or two
                long until = start + effectiveSeconds * 1000 + 12_000;
                try (KafkaConsumer<byte[], byte[]> consumer = CommittedConsumer.subscribe(kafka.clientProperties(),
                        "hrlf-demo-console", true, scoreTopic)) {
                    while (System.currentTimeMillis() < until && !interrupted.get()) {
                        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                            console.show(WireFormat.decodeScore(record.value()));
                        }
                    }
                }
                simulator.stop();
                if (interrupted.get()) {
                    return 130;
                }
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            }
            job.cancel().get();
            System.out.println(console.summary());
        }
        return 0;
    }

    private Path trainSyntheticModel() throws Exception {
        Path dir = Files.createTempDirectory("hrlf-demo-model-");
        SyntheticDemoModel.train(dir, epochs);
        return dir;
    }

    private static KafkaProducer<byte[], byte[]> producer(EmbeddedKafka kafka) {
        return producer(kafka.clientProperties());
    }

    static KafkaProducer<byte[], byte[]> producer(Properties props) {
        props.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.setProperty(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(props);
    }
}
