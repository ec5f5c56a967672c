package io.hrlf.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ParticipantKeyTest {

    @Test
    void formatsAndParsesCallSlashParticipant() {
        ParticipantKey key = new ParticipantKey("call-ü7", "alice");
        assertThat(key).hasToString("call-ü7/alice");
        assertThat(key.toBytes()).isEqualTo("call-ü7/alice".getBytes(StandardCharsets.UTF_8));
        assertThat(ParticipantKey.parse(key.toString())).isEqualTo(key);
    }

    @Test
    void aMalformedKeyIsRefusedWithTheKeyInTheMessage() {
        assertThatThrownBy(() -> ParticipantKey.parse("no-separator"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'no-separator'");
        assertThatThrownBy(() -> ParticipantKey.parse("call/"))
                .hasMessageContaining("'call/'").hasMessageContaining("participantId is blank");
        assertThatThrownBy(() -> ParticipantKey.parse("a/b/c"))
                .hasMessageContaining("'a/b/c'").hasMessageContaining("participantId contains '/'");
        assertThatThrownBy(() -> ParticipantKey.parse(null)).hasMessageContaining("'null'");
        assertThatThrownBy(() -> new ParticipantKey(" ", "p")).hasMessageContaining("callId is blank");
    }

    @Test
    void idProblemNamesTheFieldOrIsNull() {
        assertThat(ParticipantKey.idProblem("callId", "c-1")).isNull();
        assertThat(ParticipantKey.idProblem("callId", "")).isEqualTo("callId is blank");
        assertThat(ParticipantKey.idProblem("participantId", "x/y")).contains("participantId", "'/'");
    }
}
