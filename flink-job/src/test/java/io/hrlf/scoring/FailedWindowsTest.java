package io.hrlf.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.hrlf.avro.DeadLetter;
import io.hrlf.ingest.RejectReason;
import io.hrlf.window.AssembledWindow;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The dead letter of a window the scorer did not answer in time (the wiring: ScoringITCase's hanging scorer). */
class FailedWindowsTest {

    @Test
    void aTimedOutWindowNamesTheWindowTheModelAndTheKnobAndCarriesTheModelInput() {
        AssembledWindow window = new AssembledWindow();
        window.callId = "call-9";
        window.participantId = "alice";
        window.windowStartMillis = 5000;
        window.windowEndMillis = 10000;
        window.values = new float[][] {{0.5f}, {}, {}};
        window.masks = new float[][] {{1, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}};
        window.frames = new int[] {1, 0, 0};
        window.completeness = new float[] {0.25f, 0f, 0f};

        DeadLetter letter = FailedWindows.timedOut(window, "/models/hrlf");

        assertThat(letter.getReason()).isEqualTo(RejectReason.SCORING_TIMED_OUT.name());
        assertThat(letter.getSourceTopic()).isEqualTo(FailedWindows.SOURCE);
        assertThat(letter.getDetail()).contains("call-9/alice").contains("[5000, 10000)").contains("/models/hrlf")
                .contains(ScoringOptions.ASYNC_TIMEOUT.key());
        assertThat(new String(letter.getValue().array(), StandardCharsets.UTF_8))
                .contains("\"participantId\":\"alice\"").contains("\"masks\"");
    }
}
