package io.hrlf.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before the job is submitted, logs in to Kafka as the job will and asks what its principal may do:
 * read the three feature topics and its consumer group, write the score and dead-letter topics, and,
 * for the exactly-once sinks, use transactional ids under each sink's prefix. A wrong password or a
 * missing ACL otherwise surfaces only inside the running job, where Flink's restart strategy retries
 * it (for a checkpointed job without one configured: exponential delay, forever). Here it stops the
 * submission with a message naming the cause.
 *
 * <p>Kafka tells what a principal may do with a transactional id only when a producer uses one, so
 * the check initialises a transactional producer under each sink's prefix ({@link #probeTransactionalId}):
 * that needs WRITE on the id (DESCRIBE, implied by WRITE, to find its coordinator), as the sink does.
 * It leaves an empty transactional id behind, which Kafka expires ({@code transactional.id.expiration.ms}).
 *
 * <p>Only authentication and authorization failures stop it: a broker that cannot be reached yet (or
 * a topic not created yet) is logged and left to the sources' and sinks' own retries, as before. Not
 * checked: credentials revoked after the job started (those go through the restart strategy).
 */
final class KafkaAccessCheck {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaAccessCheck.class);

    private KafkaAccessCheck() {}

    static void verify(Configuration config) {
        Duration timeout = config.get(JobOptions.ACCESS_CHECK_TIMEOUT);
        if (timeout.isZero()) {
            return;
        }
        Properties props = HrlfJob.kafkaProperties(config);
        String bootstrap = config.get(JobOptions.BOOTSTRAP_SERVERS);
        props.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(timeout.toMillis()));
        props.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(timeout.toMillis()));
        List<String> inputs = List.of(config.get(JobOptions.TOPIC_TEXT), config.get(JobOptions.TOPIC_AUDIO),
                config.get(JobOptions.TOPIC_VISION));
        List<String> outputs = List.of(config.get(JobOptions.TOPIC_SCORES), config.get(JobOptions.TOPIC_DEAD_LETTER));
        String group = config.get(JobOptions.GROUP_ID);
        try (Admin admin = Admin.create(props)) {
            List<String> topics = new ArrayList<>(inputs);
            topics.addAll(outputs);
            Map<String, TopicDescription> described = admin.describeTopics(topics,
                            new DescribeTopicsOptions().includeAuthorizedOperations(true))
                    .allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            inputs.forEach(topic -> require(described.get(topic).authorizedOperations(), AclOperation.READ, "topic", topic));
            outputs.forEach(topic -> require(described.get(topic).authorizedOperations(), AclOperation.WRITE, "topic", topic));
            requireGroupRead(admin, group, timeout);
            if (config.get(JobOptions.DELIVERY_GUARANTEE) == DeliveryGuarantee.EXACTLY_ONCE) {
                for (String sink : HrlfJob.SINKS) {
                    requireTransactionalIdWrite(props, HrlfJob.transactionalIdPrefix(config, sink), timeout);
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthenticationException || e.getCause() instanceof AuthorizationException) {
                throw accessFailure(e.getCause(), bootstrap);
            }
            LOG.warn("Kafka access check at {} inconclusive ({}); starting anyway", bootstrap, e.getCause().toString());
        } catch (TimeoutException e) {
            LOG.warn("Kafka access check: no answer from {} within {}; starting anyway (the sources and sinks retry)",
                    bootstrap, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking Kafka access", e);
        }
    }

    private static void requireGroupRead(Admin admin, String group, Duration timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        try {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group),
                            new DescribeConsumerGroupsOptions().includeAuthorizedOperations(true))
                    .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(group);
            require(description.authorizedOperations(), AclOperation.READ, "consumer group", group);
        } catch (ExecutionException e) {
            // a group that does not exist yet: describing it was authorized, which is all Kafka tells before first use
            if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                throw e;
            }
        }
    }

    /**
     * The sink's transactional ids are {@code <prefix>-<subtask>-<n>}; the probe's id shares the prefix
     * but never that form, so the sink neither uses it nor takes it for a lingering transaction of its own.
     */
    static String probeTransactionalId(String sinkPrefix) {
        return sinkPrefix + "-access-check";
    }

    private static void requireTransactionalIdWrite(Properties client, String sinkPrefix, Duration timeout) {
        Properties props = new Properties();
        props.putAll(client);
        // the admin client's timeout is no producer setting (Kafka would warn about it on every start)
        props.remove(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
        String id = probeTransactionalId(sinkPrefix);
        props.setProperty(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
        props.setProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(timeout.toMillis()));
        props.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            producer.initTransactions();
        } catch (TransactionalIdAuthorizationException e) {
            throw new KafkaAccessException("Kafka principal is not authorized to WRITE transactional id '" + id
                    + "': the exactly-once sink uses transactional ids starting with '" + sinkPrefix + "' and needs an ACL "
                    + "allowing WRITE (which implies DESCRIBE) on TRANSACTIONAL_ID '" + sinkPrefix + "' (pattern PREFIXED); "
                    + "add the ACL before starting the job", e);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            LOG.warn("Kafka access check: transactional id '{}' not initialised within {}; starting anyway", id, timeout);
        }
    }

    private static void require(Set<AclOperation> allowed, AclOperation needed, String kind, String name) {
        // null: the broker did not say (no authorizer, or an old broker); the job finds out when it runs
        if (allowed != null && !allowed.contains(needed) && !allowed.contains(AclOperation.ALL)) {
            throw new KafkaAccessException("Kafka principal is not authorized to " + needed + " " + kind + " '" + name
                    + "' (authorized: " + allowed + "); add the ACL before starting the job");
        }
    }

    private static KafkaAccessException accessFailure(Throwable cause, String bootstrap) {
        if (cause instanceof AuthenticationException) {
            return new KafkaAccessException("Kafka authentication failed at " + bootstrap + " (check the SASL/TLS "
                    + "settings under " + JobOptions.KAFKA_PROPERTIES_PREFIX + "): " + cause.getMessage(), cause);
        }
        return new KafkaAccessException("Kafka principal is not authorized for the job's topics or group at "
                + bootstrap + ": " + cause.getMessage(), cause);
    }

    /** The job may not connect as configured; the message names why. */
    static final class KafkaAccessException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        KafkaAccessException(String message) {
            super(message);
        }

        KafkaAccessException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
