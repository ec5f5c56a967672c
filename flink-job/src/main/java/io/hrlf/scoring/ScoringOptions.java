package io.hrlf.scoring;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Configuration of the batched TensorFlow scorer. */
public final class ScoringOptions {
    public static final ConfigOption<Integer> BATCH_SIZE = ConfigOptions.key("hrlf.scoring.batch-size")
            .intType()
            .defaultValue(32)
            .withDescription("Most windows scored in one TensorFlow call. Windows of different participants are "
                    + "batched together; a batch is sent when full or when the max wait has passed.");

    public static final ConfigOption<Duration> BATCH_MAX_WAIT = ConfigOptions.key("hrlf.scoring.batch-max-wait")
            .durationType()
            .defaultValue(Duration.ofMillis(20))
            .withDescription("Longest a window waits for its batch to fill before it is scored anyway.");

    public static final ConfigOption<Duration> ASYNC_TIMEOUT = ConfigOptions.key("hrlf.scoring.async-timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription("A window not scored within this time fails the scoring operator with a clear message "
                    + "(the job then restarts from its last checkpoint).");

    public static final ConfigOption<Integer> ASYNC_CAPACITY = ConfigOptions.key("hrlf.scoring.async-capacity")
            .intType()
            .defaultValue(256)
            .withDescription("Windows in flight per scorer subtask (Flink async I/O capacity; checkpointed). "
                    + "Back-pressure starts beyond it.");

    public static final ConfigOption<Float> NEUTRAL_BAND = ConfigOptions.key("hrlf.scoring.neutral-band")
            .floatType()
            .defaultValue(0.5f)
            .withDescription("Scores within [-band, band] get polarity NEUTRAL; above POSITIVE, below NEGATIVE.");

    private ScoringOptions() {}
}
