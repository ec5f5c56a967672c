package io.hrlf.job;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Everything logged while it is open, at INFO and above for every logger (Flink, Kafka clients and
 * broker, the job), with stack traces: what a log file of a deployment would hold. The console
 * appender is detached meanwhile so the test's output stays readable.
 */
final class CapturedLogs implements AutoCloseable {
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final List<String> lines = new ArrayList<>();
    private final Map<String, Appender> detached;
    private final Map<LoggerConfig, Level> levels = new HashMap<>();
    private final AbstractAppender capture;

    CapturedLogs() {
        LoggerConfig root = context.getConfiguration().getRootLogger();
        detached = Map.copyOf(root.getAppenders());
        detached.keySet().forEach(root::removeAppender);
        capture = new AbstractAppender("captured", null, PatternLayout.createDefaultLayout(), false, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                StringBuilder line = new StringBuilder(event.getLoggerName()).append(' ')
                        .append(event.getMessage().getFormattedMessage());
                for (Throwable t = event.getThrown(); t != null; t = t.getCause()) {
                    line.append(" | ").append(t);
                }
                synchronized (lines) {
                    lines.add(line.toString());
                }
            }
        };
        capture.start();
        root.addAppender(capture, Level.ALL, null);
        for (LoggerConfig logger : context.getConfiguration().getLoggers().values()) {
            levels.put(logger, logger.getLevel());
            logger.setLevel(Level.INFO);
        }
        context.updateLoggers();
    }

    String text() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    @Override
    public void close() {
        LoggerConfig root = context.getConfiguration().getRootLogger();
        root.removeAppender(capture.getName());
        detached.values().forEach(appender -> root.addAppender(appender, null, null));
        levels.forEach(LoggerConfig::setLevel);
        context.updateLoggers();
        capture.stop();
    }
}
