package io.hrlf.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class WindowSpecTest {
    private static final int[] DIMS = {3, 2, 1};

    @Test
    void readsTheDocumentedDefaults() {
        WindowSpec spec = WindowSpec.from(new Configuration(), 8, DIMS);
        assertThat(spec.sizeMillis()).isEqualTo(WindowOptions.SIZE.defaultValue().toMillis());
        assertThat(spec.slideMillis()).isEqualTo(spec.sizeMillis()).as("tumbling by default");
        assertThat(spec.allowedLatenessMillis()).isEqualTo(WindowOptions.ALLOWED_LATENESS.defaultValue().toMillis());
        assertThat(spec.steps()).isEqualTo(8);
        assertThat(spec.dims()).containsExactly(3, 2, 1);
    }

    @Test
    void readsConfiguredValues() {
        Configuration config = new Configuration();
        config.set(WindowOptions.SIZE, Duration.ofSeconds(10));
        config.set(WindowOptions.SLIDE, Duration.ofSeconds(2));
        config.set(WindowOptions.ALLOWED_LATENESS, Duration.ZERO);
        WindowSpec spec = WindowSpec.from(config, 4, DIMS);
        assertThat(spec).isEqualTo(new WindowSpec(10_000, 2_000, 0, 4, DIMS));
    }

    @Test
    void refusesASlideLongerThanTheWindowWithAClearMessage() {
        assertThatThrownBy(() -> new WindowSpec(1000, 2000, 0, 4, DIMS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("slide");
        assertThatThrownBy(() -> new WindowSpec(1000, 1000, -1, 4, DIMS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lateness");
        assertThatThrownBy(() -> new WindowSpec(1000, 1000, 0, 4, new int[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimensions");
    }

    @Test
    void windowStartsAreMultiplesOfTheSlideAndCoverEveryOverlap() {
        WindowSpec sliding = new WindowSpec(1000, 250, 100, 4, DIMS);
        // a frame [1100, 1200) lies in the windows starting at 250, 500, 750 and 1000
        assertThat(sliding.firstWindowStart(1100)).isEqualTo(250);
        assertThat(sliding.lastWindowStart(1100, 1200)).isEqualTo(1000);
        // the frame end is exclusive: [900, 1000) does not reach the window starting at 1000
        assertThat(sliding.lastWindowStart(900, 1000)).isEqualTo(750);
        // an instant belongs to the windows containing it
        assertThat(sliding.firstWindowStart(1000)).isEqualTo(250);
        assertThat(sliding.lastWindowStart(1000, 1000)).isEqualTo(1000);
        // negative times (before the epoch) round toward minus infinity, not toward zero
        assertThat(new WindowSpec(1000, 1000, 0, 4, DIMS).firstWindowStart(-1)).isEqualTo(-1000);
        assertThat(sliding.maxTimestamp(1000)).isEqualTo(1999);
        assertThat(sliding.cleanupTime(1000)).isEqualTo(2099);
    }
}
