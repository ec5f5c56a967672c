package io.hrlf.job;

import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.IllegalConfigurationException;

/**
 * Refuses a password given literally as a program argument. Flink masks sensitive keys (names with
 * "password", "secret", "jaas.config", ...) in its configuration views, but in application mode it
 * also keeps the job's arguments as {@code $internal.application.program-args}, and the dashboard's
 * {@code /jobmanager/config} shows that list unmasked. A secret must therefore come from a Kafka config
 * provider reference ({@code ${env:VAR}}, {@code ${file:/path:key}}), which the Kafka client resolves
 * itself on the task managers, so that only the reference is ever shown.
 */
final class SecretArguments {
    private SecretArguments() {}

    static void requireProviderReferences(Map<String, String> arguments) {
        List<String> literal = arguments.entrySet().stream()
                .filter(e -> GlobalConfiguration.isSensitive(e.getKey()))
                .filter(e -> e.getValue() != null && !e.getValue().contains("${"))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
        if (!literal.isEmpty()) {
            throw new IllegalConfigurationException("secret given literally as a program argument: " + literal
                    + ". Flink's dashboard shows program arguments unmasked; pass a Kafka config provider reference "
                    + "instead, e.g. --" + JobOptions.KAFKA_PROPERTIES_PREFIX + "config.providers env --"
                    + JobOptions.KAFKA_PROPERTIES_PREFIX + "config.providers.env.class "
                    + "org.apache.kafka.common.config.provider.EnvVarConfigProvider --"
                    + JobOptions.KAFKA_PROPERTIES_PREFIX + "sasl.jaas.config '${env:HRLF_KAFKA_JAAS}'");
        }
    }
}
