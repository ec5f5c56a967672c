package io.hrlf.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hrlf.contract.Modality;
import io.hrlf.contract.ModelContractException;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobOptionsTest {

    @Test
    void kafkaClientPropertiesPassThroughWithoutThePrefix() {
        Configuration config = new Configuration();
        config.setString("hrlf.kafka.properties.security.protocol", "SASL_SSL");
        config.setString("hrlf.kafka.properties.sasl.mechanism", "SCRAM-SHA-512");
        config.setString("hrlf.topic.text", "t");
        Properties properties = HrlfJob.kafkaProperties(config);
        assertThat(properties).containsOnlyKeys("security.protocol", "sasl.mechanism");
        assertThat(properties.getProperty("security.protocol")).isEqualTo("SASL_SSL");
    }

    @Test
    void topicsDefaultToTheDesignNames() {
        Configuration config = new Configuration();
        assertThat(HrlfJob.topic(config, Modality.TEXT)).isEqualTo("hrlf.features.text");
        assertThat(HrlfJob.topic(config, Modality.AUDIO)).isEqualTo("hrlf.features.audio");
        assertThat(HrlfJob.topic(config, Modality.VISION)).isEqualTo("hrlf.features.vision");
        assertThat(config.get(JobOptions.TOPIC_SCORES)).isEqualTo("hrlf.sentiment.scores");
        assertThat(config.get(JobOptions.TOPIC_DEAD_LETTER)).isEqualTo("hrlf.features.dlq");
    }

    @Test
    void theJobRefusesToBuildWithoutAUsableModel(@TempDir Path empty) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        assertThatThrownBy(() -> HrlfJob.build(env, new Configuration()))
                .isInstanceOf(IllegalConfigurationException.class).hasMessageContaining("hrlf.model.path");
        Configuration config = new Configuration();
        config.set(JobOptions.MODEL_PATH, empty.toString());
        assertThatThrownBy(() -> HrlfJob.build(env, config))
                .isInstanceOf(ModelContractException.class).hasMessageContaining(empty.toString());
    }
}
