package io.hrlf.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hrlf.scoring.ScoringOptions;
import io.hrlf.window.WindowOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

class HrlfOptionsTest {

    @Test
    void collectsTheOptionsOfEveryOptionClassOnce() {
        assertThat(HrlfOptions.all()).extracting(ConfigOption::key)
                .contains(JobOptions.MODEL_PATH.key(), WindowOptions.SIZE.key(), ScoringOptions.BATCH_SIZE.key(),
                        ScoringOptions.SLOT_TASK_OFF_HEAP.key())
                .doesNotHaveDuplicates()
                .allMatch(key -> key.startsWith(HrlfOptions.NAMESPACE))
                .isSorted();
    }

    @Test
    void aTypoIsRefusedNamingTheKeyAndListingTheValidOnes() {
        Configuration config = new Configuration();
        config.setString("hrlf.window.sise", "10 s");
        config.setString("hrlf.scoring.batchsize", "8");
        assertThatThrownBy(() -> HrlfOptions.requireOnlyKnownKeys(config))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("unknown options hrlf.scoring.batchsize, hrlf.window.sise")
                .hasMessageContaining(WindowOptions.SIZE.key())
                .hasMessageContaining(JobOptions.MODEL_PATH.key())
                .hasMessageContaining(JobOptions.KAFKA_PROPERTIES_PREFIX);
    }

    @Test
    void knownKeysPassThroughKeysAndOtherNamespacesAreAccepted() {
        Configuration config = new Configuration();
        for (ConfigOption<?> option : HrlfOptions.all()) {
            config.setString(option.key(), "x");
        }
        config.setString(JobOptions.KAFKA_PROPERTIES_PREFIX + "security.protocol", "SASL_SSL");
        config.setString("execution.checkpointing.interval", "5 s");
        config.setString("hrlfx.not-ours", "1");
        assertThatCode(() -> HrlfOptions.requireOnlyKnownKeys(config)).doesNotThrowAnyException();
    }

    @Test
    void theJobRefusesAnUnknownKeyBeforeAnythingElse() {
        Configuration config = new Configuration();
        config.setString("hrlf.window.sise", "10 s");
        assertThatThrownBy(() -> HrlfJob.build(StreamExecutionEnvironment.getExecutionEnvironment(), config))
                .isInstanceOf(IllegalConfigurationException.class).hasMessageContaining("hrlf.window.sise");
    }
}
