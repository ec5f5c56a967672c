package io.hrlf.consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hrlf.avro.ModalityPresence;
import io.hrlf.avro.SentimentScore;
import io.hrlf.testkit.CommittedConsumer;
import io.hrlf.wire.WireFormat;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Tails the score topic of any Kafka cluster and prints each score as a line or as JSON, reading
 * only committed transactions (the job writes scores exactly once, in transactions).
 * {@code java -cp hrlf-demo.jar io.hrlf.consumer.ScoreTail --bootstrap-servers host:9092 [--json]}
 */
@Command(name = "hrlf-scores", aliases = "scores", mixinStandardHelpOptions = true,
        description = "Print the sentiment scores of the HRLF job as they are committed.")
public final class ScoreTail implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers")
    String bootstrapServers;
    @Option(names = "--topic", defaultValue = "hrlf.sentiment.scores", description = "Score topic (default ${DEFAULT-VALUE})")
    String topic;
    @Option(names = "--json", description = "One JSON object per line instead of a readable line")
    boolean json;
    @Option(names = "--from-beginning", description = "Start at the oldest retained score instead of new ones")
    boolean fromBeginning;
    @Option(names = "--max", defaultValue = "0", description = "Stop after this many scores (0: run until Ctrl-C)")
    long max;
    @Option(names = "--property", description = "Kafka client property, e.g. --property security.protocol=SASL_SSL")
    Map<String, String> properties = new LinkedHashMap<>();

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) {
        System.exit(new CommandLine(new ScoreTail()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Properties props = new Properties();
        props.putAll(properties);
        props.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        AtomicBoolean stop = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop.set(true)));
        long printed = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = CommittedConsumer.subscribe(props, "hrlf-score-tail-" + System.nanoTime(),
                fromBeginning, topic)) {
            while (!stop.get() && (max == 0 || printed < max)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        print(WireFormat.decodeScore(record.value()), System.out);
                    } catch (Exception e) {
                        System.err.printf("skipping offset %d of %s-%d: not a SentimentScore (%s)%n", record.offset(),
                                record.topic(), record.partition(), e.getMessage());
                    }
                    if (max > 0 && ++printed >= max) {
                        break;
                    }
                }
            }
        }
        return 0;
    }

    void print(SentimentScore score, PrintStream out) throws Exception {
        if (json) {
            out.println(JSON.writeValueAsString(toMap(score)));
        } else {
            out.printf(Locale.ROOT, "%s/%s [%s, %s) %+.2f %s present %s rev %d model %s%n", score.getCallId(),
                    score.getParticipantId(), score.getWindowStartMillis(), score.getWindowEndMillis(),
                    score.getScore(), score.getPolarity(), score.getMissingPattern().isEmpty() ? "none"
                            : score.getMissingPattern(), score.getRevision(), score.getModelVersion());
        }
    }

    static Map<String, Object> toMap(SentimentScore score) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("callId", score.getCallId());
        map.put("participantId", score.getParticipantId());
        map.put("windowStart", score.getWindowStartMillis().toEpochMilli());
        map.put("windowEnd", score.getWindowEndMillis().toEpochMilli());
        map.put("score", score.getScore());
        map.put("polarity", score.getPolarity().name());
        map.put("missingPattern", score.getMissingPattern());
        Map<String, Object> modalities = new LinkedHashMap<>();
        for (ModalityPresence p : score.getModalities()) {
            modalities.put(p.getModality().name().toLowerCase(Locale.ROOT),
                    Map.of("present", p.getPresent(), "completeness", p.getCompleteness(), "frames", p.getFrames()));
        }
        map.put("modalities", modalities);
        map.put("modelVersion", score.getModelVersion());
        map.put("revision", score.getRevision());
        map.put("emitted", score.getEmitTimestampMillis().toEpochMilli());
        return map;
    }
}
