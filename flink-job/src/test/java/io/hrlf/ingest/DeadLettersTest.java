package io.hrlf.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.hrlf.avro.DeadLetter;
import io.hrlf.contract.ParticipantKey;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    @Test
    void aRefusedRecordKeepsItsBytesAndPosition() {
        DeadLetter letter = DeadLetters.refusedRecord("t", 3, 77L, "k".getBytes(StandardCharsets.UTF_8),
                new byte[] {1, 2}, RejectReason.DECODE_ERROR, "truncated");
        assertThat(letter.getSourceTopic()).isEqualTo("t");
        assertThat(letter.getPartition()).isEqualTo(3);
        assertThat(letter.getOffset()).isEqualTo(77L);
        assertThat(letter.getKey().array()).isEqualTo("k".getBytes(StandardCharsets.UTF_8));
        assertThat(letter.getValue().array()).containsExactly(1, 2);
        assertThat(letter.getReason()).isEqualTo("DECODE_ERROR");
        assertThat(letter.getDetail()).isEqualTo("truncated");
        assertThat(letter.getRejectedAtMillis()).isNotNull();

        DeadLetter keyless = DeadLetters.refusedRecord("t", 0, 0L, null, null, RejectReason.DECODE_ERROR, "empty");
        assertThat(keyless.getKey()).isNull();
        assertThat(keyless.getValue()).isNull();
    }

    @Test
    void anOperatorsRefusalNamesTheOperatorAndHasNoKafkaPosition() {
        DeadLetter letter = DeadLetters.refusedByOperator("hrlf-scorer", new ParticipantKey("c", "p"),
                "{}".getBytes(StandardCharsets.UTF_8), RejectReason.INFERENCE_FAILED, "NaN");
        assertThat(letter.getSourceTopic()).isEqualTo("hrlf-scorer");
        assertThat(letter.getPartition()).isEqualTo(DeadLetters.NO_PARTITION);
        assertThat(letter.getOffset()).isEqualTo(DeadLetters.NO_OFFSET);
        assertThat(new String(letter.getKey().array(), StandardCharsets.UTF_8)).isEqualTo("c/p");
        assertThat(letter.getReason()).isEqualTo("INFERENCE_FAILED");
    }
}
