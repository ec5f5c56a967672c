package io.hrlf.window;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Configuration of the per-participant event-time windows. */
public final class WindowOptions {
    public static final ConfigOption<Duration> SIZE = ConfigOptions.key("hrlf.window.size")
            .durationType()
            .defaultValue(Duration.ofSeconds(5))
            .withDescription("Length of a scoring window in event time. The window is cut into the model's T steps.");

    public static final ConfigOption<Duration> SLIDE = ConfigOptions.key("hrlf.window.slide")
            .durationType()
            .defaultValue(Duration.ofSeconds(5))
            .withDescription("Distance between window starts. Equal to the size: tumbling windows; smaller: sliding "
                    + "windows (a frame then counts in size/slide windows). Window starts are multiples of the slide.");

    public static final ConfigOption<Duration> ALLOWED_LATENESS = ConfigOptions.key("hrlf.window.allowed-lateness")
            .durationType()
            .defaultValue(Duration.ofSeconds(2))
            .withDescription("How long after the watermark passed a window's end its state is kept. Frames arriving in "
                    + "that time update the window and re-score it (revision + 1); later frames go to the late side "
                    + "output and the framesLate metric, and the window stays scored without them.");

    private WindowOptions() {}
}
