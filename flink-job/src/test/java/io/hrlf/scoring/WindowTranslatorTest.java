package io.hrlf.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hrlf.avro.ModalityPresence;
import io.hrlf.avro.Polarity;
import io.hrlf.avro.SentimentScore;
import io.hrlf.contract.MissingPattern;
import io.hrlf.contract.Modality;
import io.hrlf.model.ModelInput;
import io.hrlf.window.AssembledWindow;
import io.hrlf.wire.ScoreModalities;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scorer's window/model translation on its own, without a model or Flink. */
class WindowTranslatorTest {
    private static final int STEPS = 2;
    private static final int[] DIMS = {2, 1, 3};
    private final WindowTranslator translator = new WindowTranslator(STEPS, DIMS, 0.5f);

    /** A window whose values are base + index and whose masks mark text and vision step 0 observed. */
    private static AssembledWindow window(String participant, float base) {
        AssembledWindow w = new AssembledWindow();
        w.callId = "call-1";
        w.participantId = participant;
        w.windowStartMillis = 5_000;
        w.windowEndMillis = 10_000;
        w.revision = 2;
        w.values = new float[3][];
        w.masks = new float[3][];
        for (Modality m : Modality.ALL) {
            w.values[m.ordinal()] = new float[STEPS * DIMS[m.ordinal()]];
            for (int i = 0; i < w.values[m.ordinal()].length; i++) {
                w.values[m.ordinal()][i] = base + i;
            }
            w.masks[m.ordinal()] = new float[STEPS];
        }
        w.masks[Modality.TEXT.ordinal()][0] = 1;
        w.masks[Modality.VISION.ordinal()][0] = 1;
        w.frames = new int[] {4, 0, 1};
        w.completeness = new float[] {0.5f, 0f, 0.5f};
        return w;
    }

    @Test
    void windowsBecomeRowsOfTheModelInputInOrder() {
        ModelInput input = translator.toModelInput(List.of(window("a", 0), window("b", 100)));
        assertThat(input.batchSize()).isEqualTo(2);
        assertThat(input.values(Modality.TEXT)).containsExactly(0, 1, 2, 3, 100, 101, 102, 103);
        assertThat(input.values(Modality.AUDIO)).containsExactly(0, 1, 100, 101);
        assertThat(input.mask(Modality.TEXT)).containsExactly(1, 0, 1, 0);
        assertThat(input.mask(Modality.AUDIO)).containsOnly(0f);
        assertThat(input.mask(Modality.VISION)).containsExactly(1, 0, 1, 0);
    }

    @Test
    void anOutputRowBecomesAScoreWithPresenceAndPattern() {
        AssembledWindow w = window("alice", 0);
        SentimentScore score = translator.toScore(w, 1.25f, "model-7", 12_345);
        assertThat(score.getCallId()).isEqualTo("call-1");
        assertThat(score.getParticipantId()).isEqualTo("alice");
        assertThat(score.getWindowStartMillis()).isEqualTo(Instant.ofEpochMilli(5_000));
        assertThat(score.getWindowEndMillis()).isEqualTo(Instant.ofEpochMilli(10_000));
        assertThat(score.getScore()).isEqualTo(1.25f);
        assertThat(score.getPolarity()).isEqualTo(Polarity.POSITIVE);
        assertThat(score.getModelVersion()).isEqualTo("model-7");
        assertThat(score.getRevision()).isEqualTo(2);
        assertThat(score.getEmitTimestampMillis()).isEqualTo(Instant.ofEpochMilli(12_345));
        assertThat(score.getMissingPattern()).isEqualTo("l,v");
        assertThat(ScoreModalities.pattern(score)).isEqualTo(MissingPattern.present(Modality.TEXT, Modality.VISION));
        assertThat(score.getModalities()).extracting(ModalityPresence::getModality).containsExactly(
                io.hrlf.avro.Modality.TEXT, io.hrlf.avro.Modality.AUDIO, io.hrlf.avro.Modality.VISION);
        assertThat(score.getModalities()).extracting(ModalityPresence::getPresent).containsExactly(true, false, true);
        assertThat(score.getModalities()).extracting(ModalityPresence::getCompleteness).containsExactly(0.5f, 0f, 0.5f);
        assertThat(score.getModalities()).extracting(ModalityPresence::getFrames).containsExactly(4, 0, 1);
    }

    @Test
    void scoresAreClippedToTheContractRangeAndGetPolarityByTheNeutralBand() {
        AssembledWindow w = window("bob", 0);
        assertThat(translator.toScore(w, 7f, "m", 0).getScore()).isEqualTo(3f);
        assertThat(translator.toScore(w, -9f, "m", 0).getPolarity()).isEqualTo(Polarity.NEGATIVE);
        assertThat(translator.toScore(w, 0.5f, "m", 0).getPolarity()).isEqualTo(Polarity.NEUTRAL);
        assertThat(translator.toScore(w, -0.51f, "m", 0).getPolarity()).isEqualTo(Polarity.NEGATIVE);
    }

    @Test
    void anOutputThatIsNotANumberIsRefusedNamingItsWindow() {
        List<AssembledWindow> windows = List.of(window("a", 0), window("carol", 0));
        translator.requireUsableOutput(windows, new float[] {0.1f, 2f}, "m");
        assertThatThrownBy(() -> translator.requireUsableOutput(windows, new float[] {0.1f, Float.NaN}, "m"))
                .isInstanceOf(ScoringException.class).hasMessageContaining("call-1/carol").hasMessageContaining("NaN");
    }
}
