package io.hrlf.job;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.junit.jupiter.api.Test;

class SecretArgumentsTest {
    private static final String JAAS = JobOptions.KAFKA_PROPERTIES_PREFIX + "sasl.jaas.config";

    @Test
    void aLiteralPasswordArgumentIsRefusedNamingTheKeyButNotTheValue() {
        Map<String, String> args = Map.of(JAAS, "ScramLoginModule required username=\"job\" password=\"s3cret\";",
                JobOptions.KAFKA_PROPERTIES_PREFIX + "ssl.truststore.password", "changeit");
        assertThatThrownBy(() -> SecretArguments.requireProviderReferences(args))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining(JAAS).hasMessageContaining("ssl.truststore.password")
                .hasMessageNotContaining("s3cret").hasMessageNotContaining("changeit");
    }

    @Test
    void providerReferencesAndOrdinarySettingsPass() {
        assertThatCode(() -> SecretArguments.requireProviderReferences(Map.of(JAAS, "${env:HRLF_KAFKA_JAAS}",
                JobOptions.KAFKA_PROPERTIES_PREFIX + "ssl.truststore.password", "${file:/etc/hrlf/tls.properties:pw}",
                JobOptions.KAFKA_PROPERTIES_PREFIX + "security.protocol", "SASL_SSL"))).doesNotThrowAnyException();
    }
}
