package io.hrlf.job;

import io.hrlf.contract.Modality;
import io.hrlf.scoring.ScoringOptions;
import io.hrlf.testkit.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The job against the secured embedded broker ({@link EmbeddedKafka#startSecured()}), with the
 * default topic, group and transactional-id names: what its principal is allowed, and its settings
 * with the credentials given only under {@code hrlf.kafka.properties.}.
 */
final class SecuredJob {
    private SecuredJob() {}

    /** Exactly what the job needs: read its inputs and group, write its outputs in its own transactions. */
    static List<AclBinding> jobAcls(String user) {
        List<AclBinding> acls = new ArrayList<>();
        for (Modality m : Modality.ALL) {
            acls.add(allow(user, ResourceType.TOPIC, TestJob.topic(m), PatternType.LITERAL, AclOperation.READ));
        }
        acls.add(allow(user, ResourceType.TOPIC, TestJob.SCORES, PatternType.LITERAL, AclOperation.WRITE));
        acls.add(allow(user, ResourceType.TOPIC, TestJob.DEAD_LETTERS, PatternType.LITERAL, AclOperation.WRITE));
        acls.add(allow(user, ResourceType.GROUP, JobOptions.GROUP_ID.defaultValue(), PatternType.LITERAL,
                AclOperation.READ));
        acls.add(allow(user, ResourceType.TRANSACTIONAL_ID, JobOptions.TRANSACTIONAL_ID_PREFIX.defaultValue() + "-",
                PatternType.PREFIXED, AclOperation.WRITE));
        return acls;
    }

    private static AclBinding allow(String user, ResourceType type, String name, PatternType pattern,
                                    AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
    }

    /** The job's settings, with the client security settings only under {@code hrlf.kafka.properties.}. */
    static Configuration jobConfig(EmbeddedKafka kafka, Path model, String user, String password) {
        Configuration config = TestJob.config(kafka.bootstrapServers(), model);
        config.set(ScoringOptions.BATCH_MAX_WAIT, Duration.ofMillis(10));
        kafka.clientProperties(user, password).forEach((key, value) -> {
            if (!key.equals(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
                config.setString(JobOptions.KAFKA_PROPERTIES_PREFIX + key, value.toString());
            }
        });
        return config;
    }
}
