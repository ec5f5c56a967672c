package io.hrlf.job;

import io.hrlf.avro.DeadLetter;
import io.hrlf.avro.SentimentScore;
import io.hrlf.contract.Modality;
import io.hrlf.contract.ModelMetadata;
import io.hrlf.ingest.DeadLetterRouter;
import io.hrlf.ingest.FeatureChunkDeserializer;
import io.hrlf.ingest.FeatureChunkValidator;
import io.hrlf.ingest.IngestRecord;
import io.hrlf.ingest.ValidatedChunk;
import io.hrlf.ingest.ValidatedChunkTypeInfo;
import io.hrlf.scoring.Scoring;
import io.hrlf.window.AssembledWindow;
import io.hrlf.window.LateFrames;
import io.hrlf.window.WindowAssembler;
import io.hrlf.window.WindowSpec;
import io.hrlf.wire.DeadLetterSerializationSchema;
import io.hrlf.wire.ScoreSerializationSchema;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.ParameterTool;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming job: three feature topics in, per-participant windows with missing modalities,
 * batched HRLF scoring, scores and dead letters out. Run with
 * {@code flink run hrlf-job.jar --hrlf.model.path /models/hrlf --hrlf.kafka.bootstrap-servers kafka:9092}.
 */
public final class HrlfJob {
    private static final Logger LOG = LoggerFactory.getLogger(HrlfJob.class);
    /** Names of the sinks, part of their transactional ids: changing one strands a restored job's open transactions. */
    static final String SCORE_SINK = "scores";
    static final String DEAD_LETTER_SINK = "dlq";

    private HrlfJob() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> arguments = ParameterTool.fromArgs(args).toMap();
        SecretArguments.requireProviderReferences(arguments);
        Configuration config = Configuration.fromMap(arguments);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        if (!config.contains(CheckpointingOptions.CHECKPOINTING_INTERVAL)) {
            env.enableCheckpointing(config.get(JobOptions.CHECKPOINT_INTERVAL_DEFAULT).toMillis());
        }
        build(env, config);
        env.execute("HRLF streaming sentiment");
    }

    /**
     * Adds the whole pipeline to {@code env}; the model's metadata fixes T and the feature dimensions.
     * Refuses an unknown {@code hrlf.*} key ({@link HrlfOptions#requireOnlyKnownKeys}).
     */
    public static void build(StreamExecutionEnvironment env, Configuration config) {
        HrlfOptions.requireOnlyKnownKeys(config);
        String modelPath = config.getOptional(JobOptions.MODEL_PATH).orElseThrow(() ->
                new IllegalConfigurationException("set " + JobOptions.MODEL_PATH.key() + " to the exported model directory"));
        ModelMetadata model = ModelMetadata.read(Path.of(modelPath));
        int steps = model.steps();
        int[] dims = model.dimensionsInOrder();
        LOG.info("Scoring with model {} (variant {}, T={}, dims text/audio/vision={}/{}/{}, context {})",
                model.modelVersion(), model.variant(), steps, dims[0], dims[1], dims[2],
                model.hasContext() ? "K=" + model.context().windows() + ", d_c=" + model.context().dimension() : "none");
        // a wrong password or a missing ACL stops here, naming the cause, instead of in a restart loop
        KafkaAccessCheck.verify(config);

        // Chained operators hand records over without a defensive deep copy (the profile's third largest
        // cost). Safe here: every operator of this job emits a new object, and none keeps or changes a
        // record after passing it on (the scorer keeps windows until scored, and nothing upstream reuses them).
        env.getConfig().enableObjectReuse();

        FeatureChunkValidator validator = new FeatureChunkValidator(dims, config.get(JobOptions.MAX_ID_LENGTH),
                config.get(JobOptions.MAX_FRAMES_PER_CHUNK), config.get(JobOptions.MAX_FUTURE_SKEW), Clock.systemUTC());
        WatermarkStrategy<IngestRecord> watermarks = WatermarkStrategy
                .<IngestRecord>forBoundedOutOfOrderness(config.get(JobOptions.OUT_OF_ORDERNESS))
                // refused records carry no event time and must neither advance nor hold back the watermark
                .withTimestampAssigner((record, kafkaTime) -> record.isAccepted() ? record.eventTime() : Long.MIN_VALUE)
                .withIdleness(config.get(JobOptions.IDLENESS));

        // Each source routes its own records, chained to it: a record crosses no task boundary (and is
        // not serialized) before the keyBy, which is the one shuffle the windows need.
        DataStream<ValidatedChunk> chunks = null;
        DataStream<DeadLetter> refused = null;
        for (Modality modality : Modality.ALL) {
            String topic = topic(config, modality);
            KafkaSource<IngestRecord> source = KafkaSource.<IngestRecord>builder()
                    .setBootstrapServers(config.get(JobOptions.BOOTSTRAP_SERVERS))
                    .setTopics(topic)
                    .setGroupId(config.get(JobOptions.GROUP_ID))
                    .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                    .setDeserializer(new FeatureChunkDeserializer(modality, validator))
                    .setProperties(kafkaProperties(config))
                    .build();
            SingleOutputStreamOperator<ValidatedChunk> accepted = env.fromSource(source, watermarks, "Kafka " + topic)
                    .uid("source-" + modality.inputName())
                    .process(new DeadLetterRouter(), ValidatedChunkTypeInfo.INSTANCE)
                    .uid("validate-" + modality.inputName()).name("Route " + modality.inputName() + " chunks");
            DataStream<DeadLetter> rejected = accepted.getSideOutput(DeadLetterRouter.DEAD_LETTERS);
            chunks = chunks == null ? accepted : chunks.union(accepted);
            refused = refused == null ? rejected : refused.union(rejected);
        }

        SingleOutputStreamOperator<AssembledWindow> windows = chunks
                .keyBy(ValidatedChunk::participantKeyString)
                .process(new WindowAssembler(WindowSpec.from(config, steps, dims)))
                .uid("window-assembler").name("Assemble participant windows");
        // Late frames are already counted (hrlf.<modality>.framesLate); their windows were scored without them.
        windows.getSideOutput(WindowAssembler.LATE_FRAMES)
                .sinkTo(new DiscardingSink<LateFrames>())
                .uid("late-frames").name("Late frames (counted)");

        // a model with context needs the participant's earlier windows: keyed state, its own scorer
        SingleOutputStreamOperator<SentimentScore> scores = model.hasContext()
                ? Scoring.attachWithContext(windows, modelPath, model, config)
                : Scoring.attach(windows, modelPath, steps, dims, config);
        scores.sinkTo(sink(config, new ScoreSerializationSchema(config.get(JobOptions.TOPIC_SCORES)), SCORE_SINK))
                .uid("score-sink").name("Kafka " + config.get(JobOptions.TOPIC_SCORES));

        // refused input, re-delivered chunks and windows the model could not score share one dead-letter topic
        refused.union(windows.getSideOutput(WindowAssembler.DUPLICATE_CHUNKS), scores.getSideOutput(Scoring.FAILED_WINDOWS))
                .sinkTo(sink(config, new DeadLetterSerializationSchema(config.get(JobOptions.TOPIC_DEAD_LETTER)), DEAD_LETTER_SINK))
                .uid("dead-letter-sink").name("Kafka " + config.get(JobOptions.TOPIC_DEAD_LETTER));
    }

    public static String topic(Configuration config, Modality modality) {
        return switch (modality) {
            case TEXT -> config.get(JobOptions.TOPIC_TEXT);
            case AUDIO -> config.get(JobOptions.TOPIC_AUDIO);
            case VISION -> config.get(JobOptions.TOPIC_VISION);
        };
    }

    /** Client properties under {@value JobOptions#KAFKA_PROPERTIES_PREFIX}, prefix removed (TLS, SASL, ...). */
    public static Properties kafkaProperties(Configuration config) {
        Properties properties = new Properties();
        for (Map.Entry<String, String> entry : config.toMap().entrySet()) {
            if (entry.getKey().startsWith(JobOptions.KAFKA_PROPERTIES_PREFIX)) {
                properties.setProperty(entry.getKey().substring(JobOptions.KAFKA_PROPERTIES_PREFIX.length()),
                        entry.getValue());
            }
        }
        return properties;
    }

    /** The job's Kafka sinks by name: each writes in transactions of its own ({@link #transactionalIdPrefix}). */
    static final List<String> SINKS = List.of(SCORE_SINK, DEAD_LETTER_SINK);

    /** The prefix of the transactional ids of sink {@code name}, which its principal needs WRITE on. */
    static String transactionalIdPrefix(Configuration config, String name) {
        return config.get(JobOptions.TRANSACTIONAL_ID_PREFIX) + "-" + name;
    }

    private static <T> KafkaSink<T> sink(Configuration config, KafkaRecordSerializationSchema<T> schema, String name) {
        Properties producer = kafkaProperties(config);
        producer.setProperty("transaction.timeout.ms",
                String.valueOf(config.get(JobOptions.TRANSACTION_TIMEOUT).toMillis()));
        DeliveryGuarantee guarantee = config.get(JobOptions.DELIVERY_GUARANTEE);
        return KafkaSink.<T>builder()
                .setBootstrapServers(config.get(JobOptions.BOOTSTRAP_SERVERS))
                .setRecordSerializer(schema)
                .setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix(transactionalIdPrefix(config, name))
                .setKafkaProducerConfig(producer)
                .build();
    }
}
