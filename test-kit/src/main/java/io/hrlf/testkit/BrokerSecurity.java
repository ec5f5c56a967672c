package io.hrlf.testkit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * The secured broker's settings: clients connect over SASL_SSL with SCRAM-SHA-512 (the server
 * certificate from {@link TestCertificates}), and the StandardAuthorizer allows nothing without an
 * ACL. The broker's own principal {@value #ADMIN} is a super user: it is the inter-broker identity
 * (its SCRAM credential is written at storage format time, before the broker can serve the Admin API)
 * and the tests' administrator. The controller listener stays PLAINTEXT on the loopback (KRaft
 * controllers cannot use SCRAM), so its anonymous principal is a super user too.
 */
public final class BrokerSecurity {
    public static final String MECHANISM = "SCRAM-SHA-512";
    public static final String ADMIN = "admin";
    static final String LISTENER = "SASL_SSL";

    private final TestCertificates certificates;
    private final String adminPassword = UUID.randomUUID().toString();

    BrokerSecurity(TestCertificates certificates) {
        this.certificates = certificates;
    }

    /** The broker settings that add TLS, SCRAM and the authorizer to a KRaft node. */
    Map<String, String> brokerProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("inter.broker.listener.name", LISTENER);
        props.put("listener.security.protocol.map", LISTENER + ":SASL_SSL,CONTROLLER:PLAINTEXT");
        props.put("sasl.enabled.mechanisms", MECHANISM);
        props.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        props.put("listener.name." + LISTENER.toLowerCase() + "." + MECHANISM.toLowerCase() + ".sasl.jaas.config",
                jaasConfig(ADMIN, adminPassword));
        props.put("ssl.keystore.type", "PKCS12");
        props.put("ssl.keystore.location", certificates.keyStore().toString());
        props.put("ssl.keystore.password", certificates.password());
        props.put("ssl.key.password", certificates.password());
        props.putAll(trustProperties());
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("super.users", "User:" + ADMIN + ";User:ANONYMOUS");
        props.put("allow.everyone.if.no.acl.found", "false");
        return props;
    }

    /** The storage tool's {@code --add-scram} value that gives the broker's own principal its credential. */
    String adminScramCredential() {
        return MECHANISM + "=[name=" + ADMIN + ",password=" + adminPassword + "]";
    }

    /** Client properties (TLS trust, SASL) to connect as {@code user}; no bootstrap servers. */
    public Properties clientProperties(String user, String password) {
        Properties props = new Properties();
        props.put("security.protocol", "SASL_SSL");
        props.put("sasl.mechanism", MECHANISM);
        props.put("sasl.jaas.config", jaasConfig(user, password));
        props.putAll(trustProperties());
        return props;
    }

    Properties adminClientProperties() {
        return clientProperties(ADMIN, adminPassword);
    }

    private Map<String, String> trustProperties() {
        return Map.of("ssl.truststore.type", "PKCS12",
                "ssl.truststore.location", certificates.trustStore().toString(),
                "ssl.truststore.password", certificates.password());
    }

    private static String jaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }
}
