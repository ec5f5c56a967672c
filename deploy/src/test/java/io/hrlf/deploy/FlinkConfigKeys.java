package io.hrlf.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.JarURLConnection;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.apache.flink.annotation.docs.Documentation;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.FallbackKey;

/**
 * Every configuration key Flink 2.2 defines: the keys (and fallback keys) of every public static
 * {@link ConfigOption} in the {@code *Options} classes of the Flink jars on the test class path, found by
 * reflection, so a key Flink removed or never had (e.g. {@code cluster.fine-grained-resource-management.enabled})
 * is refused. Keys with a placeholder ({@code metrics.reporter.<name>.factory.class}) match any name.
 */
final class FlinkConfigKeys {
    /**
     * Keys of Flink modules that are not published to Maven Central (they ship inside flink-dist and the
     * official image's plugins/), written down from their sources: flink-kubernetes'
     * {@code KubernetesConfigOptions} (CLUSTER_ID, NAMESPACE, the external resource's config-key suffix).
     */
    private static final List<String> OUTSIDE_THE_CLASS_PATH = List.of("kubernetes.cluster-id", "kubernetes.namespace",
            "external-resource.<resource_name>.kubernetes.config-key");
    /**
     * Prefixes under which Flink forwards every key, unread, to a plugin (a reporter's or an external
     * resource driver's own parameters), or that another program reads (the Kubernetes operator).
     */
    private static final List<Pattern> FORWARDED = List.of(
            Pattern.compile("metrics\\.reporter\\.[^.]+\\..+"),
            Pattern.compile("external-resource\\.[^.]+\\.param\\..+"),
            Pattern.compile("kubernetes\\.operator\\..+"));

    private static final FlinkConfigKeys INSTANCE = scan();

    private final Set<String> keys;
    private final List<Pattern> templates;

    private FlinkConfigKeys(Set<String> keys, List<Pattern> templates) {
        this.keys = keys;
        this.templates = templates;
    }

    static boolean isKnown(String key) {
        return INSTANCE.keys.contains(key) || INSTANCE.templates.stream().anyMatch(t -> t.matcher(key).matches())
                || FORWARDED.stream().anyMatch(f -> f.matcher(key).matches());
    }

    static int size() {
        return INSTANCE.keys.size() + INSTANCE.templates.size();
    }

    private static FlinkConfigKeys scan() {
        Set<String> keys = new HashSet<>();
        List<Pattern> templates = new ArrayList<>();
        for (String key : allKeys()) {
            if (key.contains("<")) {
                templates.add(Pattern.compile(Pattern.quote(key).replaceAll("<[^>]+>", "\\\\E[^.]+\\\\Q")));
            } else {
                keys.add(key);
            }
        }
        return new FlinkConfigKeys(keys, templates);
    }

    private static Set<String> allKeys() {
        Set<String> keys = new HashSet<>(OUTSIDE_THE_CLASS_PATH);
        ClassLoader loader = FlinkConfigKeys.class.getClassLoader();
        try {
            for (URL url : Collections.list(loader.getResources("org/apache/flink/"))) {
                if (url.getProtocol().equals("jar")) {
                    JarFile jar = ((JarURLConnection) url.openConnection()).getJarFile();
                    for (JarEntry entry : Collections.list(jar.entries())) {
                        String name = entry.getName();
                        if (name.startsWith("org/apache/flink/") && name.endsWith("Options.class") && !name.contains("$")) {
                            addKeysOf(name.substring(0, name.length() - ".class".length()).replace('/', '.'), loader, keys);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return keys;
    }

    private static void addKeysOf(String className, ClassLoader loader, Set<String> keys) {
        Class<?> options;
        try {
            options = Class.forName(className, true, loader);
        } catch (ReflectiveOperationException | LinkageError e) {
            return; // an options class whose optional dependencies are absent defines nothing the manifests use
        }
        for (Field field : options.getFields()) {
            if (!Modifier.isStatic(field.getModifiers()) || !ConfigOption.class.isAssignableFrom(field.getType())) {
                continue;
            }
            ConfigOption<?> option;
            try {
                option = (ConfigOption<?>) field.get(null);
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
            Documentation.SuffixOption suffix = field.getAnnotation(Documentation.SuffixOption.class);
            String prefix = suffix == null ? "" : suffix.value() + ".";
            keys.add(prefix + option.key());
            for (FallbackKey fallback : option.fallbackKeys()) {
                keys.add(prefix + fallback.getKey());
            }
        }
    }
}
