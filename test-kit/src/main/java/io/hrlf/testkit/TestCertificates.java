package io.hrlf.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A throw-away certificate authority and a broker certificate it signed (valid for 127.0.0.1 and
 * localhost), made at test time with the JDK's own keytool: a PKCS12 key store for the broker and a
 * trust store holding only the CA, both under one password. Nothing of it is committed.
 */
public final class TestCertificates {
    private static final String VALIDITY_DAYS = "2";
    private final Path keyStore;
    private final Path trustStore;
    private final String password;

    private TestCertificates(Path keyStore, Path trustStore, String password) {
        this.keyStore = keyStore;
        this.trustStore = trustStore;
        this.password = password;
    }

    public static TestCertificates create(Path dir) {
        String pass = UUID.randomUUID().toString();
        Path ca = dir.resolve("ca.p12");
        Path caPem = dir.resolve("ca.pem");
        Path broker = dir.resolve("broker.p12");
        Path csr = dir.resolve("broker.csr");
        Path brokerPem = dir.resolve("broker.pem");
        Path trust = dir.resolve("truststore.p12");
        keytool(pass, ca, "-genkeypair", "-alias", "ca", "-dname", "CN=HRLF test CA", "-keyalg", "EC",
                "-groupname", "secp256r1", "-validity", VALIDITY_DAYS, "-ext", "bc:c");
        keytool(pass, ca, "-exportcert", "-alias", "ca", "-rfc", "-file", caPem.toString());
        keytool(pass, broker, "-genkeypair", "-alias", "broker", "-dname", "CN=localhost", "-keyalg", "EC",
                "-groupname", "secp256r1", "-validity", VALIDITY_DAYS);
        keytool(pass, broker, "-certreq", "-alias", "broker", "-file", csr.toString());
        keytool(pass, ca, "-gencert", "-alias", "ca", "-infile", csr.toString(), "-outfile", brokerPem.toString(),
                "-rfc", "-validity", VALIDITY_DAYS, "-ext", "SAN=IP:127.0.0.1,DNS:localhost", "-ext", "EKU=serverAuth");
        keytool(pass, broker, "-importcert", "-alias", "ca", "-file", caPem.toString(), "-noprompt");
        keytool(pass, broker, "-importcert", "-alias", "broker", "-file", brokerPem.toString(), "-noprompt");
        keytool(pass, trust, "-importcert", "-alias", "ca", "-file", caPem.toString(), "-noprompt");
        return new TestCertificates(broker, trust, pass);
    }

    public Path keyStore() {
        return keyStore;
    }

    public Path trustStore() {
        return trustStore;
    }

    public String password() {
        return password;
    }

    private static void keytool(String storePassword, Path store, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", storePassword));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
