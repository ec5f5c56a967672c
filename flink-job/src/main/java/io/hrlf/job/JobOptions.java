package io.hrlf.job;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;

/** Where the job reads and writes, and how it treats time. Keys and defaults are listed in the README. */
public final class JobOptions {
    public static final ConfigOption<String> BOOTSTRAP_SERVERS = ConfigOptions.key("hrlf.kafka.bootstrap-servers")
            .stringType()
            .defaultValue("localhost:9092")
            .withDescription("Kafka bootstrap servers for every source and sink.");

    /** Every key under this prefix is passed, without the prefix, to every Kafka client (TLS, SASL, ...). */
    public static final String KAFKA_PROPERTIES_PREFIX = "hrlf.kafka.properties.";

    public static final ConfigOption<Duration> ACCESS_CHECK_TIMEOUT = ConfigOptions.key("hrlf.kafka.access-check-timeout")
            .durationType().defaultValue(Duration.ofSeconds(30))
            .withDescription("Before submitting, the job logs in to Kafka and checks its principal may read its input "
                    + "topics and group, write its output topics and (exactly-once) its sinks' transactional ids; a wrong password or a missing ACL stops the "
                    + "submission with the cause instead of a restart loop. A broker silent this long is left to the "
                    + "sources' retries. 0 skips the check.");

    public static final ConfigOption<String> TOPIC_TEXT = ConfigOptions.key("hrlf.topic.text")
            .stringType().defaultValue("hrlf.features.text").withDescription("Topic of text (language) feature chunks.");
    public static final ConfigOption<String> TOPIC_AUDIO = ConfigOptions.key("hrlf.topic.audio")
            .stringType().defaultValue("hrlf.features.audio").withDescription("Topic of audio feature chunks.");
    public static final ConfigOption<String> TOPIC_VISION = ConfigOptions.key("hrlf.topic.vision")
            .stringType().defaultValue("hrlf.features.vision").withDescription("Topic of vision feature chunks.");
    public static final ConfigOption<String> TOPIC_SCORES = ConfigOptions.key("hrlf.topic.scores")
            .stringType().defaultValue("hrlf.sentiment.scores").withDescription("Topic the scores are written to.");
    public static final ConfigOption<String> TOPIC_DEAD_LETTER = ConfigOptions.key("hrlf.topic.dead-letter")
            .stringType().defaultValue("hrlf.features.dlq")
            .withDescription("Topic of refused input records (original bytes + reason).");

    public static final ConfigOption<String> GROUP_ID = ConfigOptions.key("hrlf.kafka.group-id")
            .stringType().defaultValue("hrlf-sentiment")
            .withDescription("Consumer group of the sources (offsets are committed on checkpoints).");

    public static final ConfigOption<String> MODEL_PATH = ConfigOptions.key("hrlf.model.path")
            .stringType().noDefaultValue()
            .withDescription("Directory of the exported HRLF student (SavedModel + hrlf-model.json). Must be "
                    + "readable on every task manager. Required.");

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS = ConfigOptions.key("hrlf.watermark.out-of-orderness")
            .durationType().defaultValue(Duration.ofSeconds(1))
            .withDescription("How far behind the latest frame end a source's watermark trails.");
    public static final ConfigOption<Duration> IDLENESS = ConfigOptions.key("hrlf.watermark.idleness")
            .durationType().defaultValue(Duration.ofSeconds(5))
            .withDescription("A topic partition silent this long stops holding back the watermark, so a dead "
                    + "camera becomes 'vision missing' instead of a frozen job.");

    public static final ConfigOption<DeliveryGuarantee> DELIVERY_GUARANTEE =
            ConfigOptions.key("hrlf.sink.delivery-guarantee")
                    .enumType(DeliveryGuarantee.class).defaultValue(DeliveryGuarantee.EXACTLY_ONCE)
                    .withDescription("EXACTLY_ONCE writes scores and dead letters in Kafka transactions committed on "
                            + "checkpoints (consumers read with isolation.level=read_committed); AT_LEAST_ONCE or NONE "
                            + "trade duplicates for latency.");
    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX = ConfigOptions.key("hrlf.sink.transactional-id-prefix")
            .stringType().defaultValue("hrlf-sentiment")
            .withDescription("Prefix of the sinks' Kafka transactional ids; unique per job on a cluster.");
    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT = ConfigOptions.key("hrlf.sink.transaction-timeout")
            .durationType().defaultValue(Duration.ofMinutes(10))
            .withDescription("Producer transaction.timeout.ms. Must exceed the checkpoint interval plus the longest "
                    + "expected recovery, and stay below the broker's transaction.max.timeout.ms (15 min by default).");

    public static final ConfigOption<Integer> MAX_ID_LENGTH = ConfigOptions.key("hrlf.validation.max-id-length")
            .intType().defaultValue(256).withDescription("Longest accepted call or participant id.");
    public static final ConfigOption<Integer> MAX_FRAMES_PER_CHUNK = ConfigOptions.key("hrlf.validation.max-frames-per-chunk")
            .intType().defaultValue(10_000).withDescription("Most frames accepted in one record.");

    public static final ConfigOption<Duration> MAX_FUTURE_SKEW = ConfigOptions.key("hrlf.validation.max-future-skew")
            .durationType()
            .defaultValue(Duration.ofMinutes(1))
            .withDescription("Frames ending further than this past the task manager's clock are dead-lettered "
                    + "(FRAME_TIME_IN_FUTURE): one such frame would drag its partition's watermark forward and make "
                    + "every later frame on it late. Frames in the past are not refused: replays are legitimate, and "
                    + "a frame behind the watermark is counted as late by the window assembler.");

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL_DEFAULT = ConfigOptions.key("hrlf.checkpoint.default-interval")
            .durationType().defaultValue(Duration.ofSeconds(10))
            .withDescription("Checkpoint interval used when execution.checkpointing.interval is not set: the exactly-once "
                    + "sinks commit scores on checkpoints, so this bounds how soon consumers see them.");

    private JobOptions() {}
}
