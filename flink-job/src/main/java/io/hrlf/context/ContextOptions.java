package io.hrlf.context;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Configuration of the conversational context, used only when the served model declares context. */
public final class ContextOptions {
    public static final ConfigOption<Duration> STATE_TTL = ConfigOptions.key("hrlf.context.state-ttl")
            .durationType()
            .defaultValue(Duration.ofMinutes(10))
            .withDescription("With a model that reads context: event time after the end of a participant's last "
                    + "scored window at which its remembered representations are dropped (it left the call or went "
                    + "quiet); a later window starts again without context.");

    private ContextOptions() {}
}
