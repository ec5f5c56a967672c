package io.hrlf.job;

import io.hrlf.context.ContextOptions;
import io.hrlf.scoring.ScoringOptions;
import io.hrlf.window.WindowOptions;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Every {@code hrlf.*} option of the job, read from the option classes, and the start-up check that
 * refuses a key that is none of them: a typo such as {@code hrlf.window.sise} would otherwise fall
 * back to the default without a word. Keys under a {@linkplain #PASS_THROUGH_PREFIXES pass-through
 * prefix} are handed on to a client and are not checked here.
 */
public final class HrlfOptions {
    /** Namespace of the job's own keys. */
    public static final String NAMESPACE = "hrlf.";
    /** The classes that declare the job's options as public static ConfigOption fields. */
    public static final List<Class<?>> OPTION_CLASSES = List.of(JobOptions.class, WindowOptions.class,
            ScoringOptions.class, ContextOptions.class);
    /** Prefixes whose keys are passed on, prefix removed, to another client (see {@link HrlfJob#kafkaProperties}). */
    public static final List<String> PASS_THROUGH_PREFIXES = List.of(JobOptions.KAFKA_PROPERTIES_PREFIX);

    private HrlfOptions() {}

    /** Every option of the job, sorted by key. */
    public static List<ConfigOption<?>> all() {
        List<ConfigOption<?>> options = new ArrayList<>();
        for (Class<?> holder : OPTION_CLASSES) {
            for (Field field : holder.getFields()) {
                if (Modifier.isStatic(field.getModifiers()) && ConfigOption.class.isAssignableFrom(field.getType())) {
                    try {
                        options.add((ConfigOption<?>) field.get(null));
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException("cannot read option " + holder.getName() + "." + field.getName(), e);
                    }
                }
            }
        }
        options.sort(Comparator.comparing(ConfigOption::key));
        return List.copyOf(options);
    }

    /**
     * Refuses a configuration with an {@code hrlf.*} key that is neither an option nor under a
     * pass-through prefix, naming the unknown keys and listing the valid ones.
     */
    public static void requireOnlyKnownKeys(ReadableConfig config) {
        TreeSet<String> valid = new TreeSet<>();
        all().forEach(option -> valid.add(option.key()));
        TreeSet<String> unknown = new TreeSet<>();
        for (String key : config.toMap().keySet()) {
            if (key.startsWith(NAMESPACE) && !valid.contains(key) && !isPassThrough(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalConfigurationException("unknown option" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + ". Valid options: " + String.join(", ", valid)
                    + "; keys under " + String.join(", ", PASS_THROUGH_PREFIXES) + "* are passed to the Kafka clients.");
        }
    }

    private static boolean isPassThrough(String key) {
        return PASS_THROUGH_PREFIXES.stream().anyMatch(key::startsWith);
    }
}
