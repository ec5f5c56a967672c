package io.hrlf.scoring;

import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The scorer's settings, read once from the job's configuration ({@link ScoringOptions}).
 *
 * @param gpuResource Flink external resource that is the GPU, or null to let TensorFlow place the session
 */
public record ScorerSettings(int batchSize, Duration batchMaxWait, float neutralBand, String gpuResource,
                             int maxAttempts, Duration retryBackoff) implements Serializable {

    public ScorerSettings {
        if (batchSize < 1 || maxAttempts < 1) {
            throw new IllegalArgumentException("batch size and attempts must be >= 1, were " + batchSize + " and "
                    + maxAttempts);
        }
    }

    public static ScorerSettings from(ReadableConfig config) {
        return new ScorerSettings(config.get(ScoringOptions.BATCH_SIZE), config.get(ScoringOptions.BATCH_MAX_WAIT),
                config.get(ScoringOptions.NEUTRAL_BAND), config.getOptional(ScoringOptions.GPU_RESOURCE).orElse(null),
                config.get(ScoringOptions.MAX_ATTEMPTS), config.get(ScoringOptions.RETRY_BACKOFF));
    }
}
