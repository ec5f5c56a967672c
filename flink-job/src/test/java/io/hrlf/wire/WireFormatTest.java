package io.hrlf.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hrlf.avro.DeadLetter;
import io.hrlf.avro.FeatureChunk;
import io.hrlf.avro.ModalityPresence;
import io.hrlf.avro.Polarity;
import io.hrlf.avro.SentimentScore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The three record types survive the wire, and a header naming an unknown schema is told apart from garbage. */
class WireFormatTest {

    private static FeatureChunk chunk() {
        return FeatureChunk.newBuilder().setCallId("call-1").setParticipantId("p1")
                .setModality(io.hrlf.avro.Modality.VISION).setSequenceNumber(7)
                .setProducerTimestampMillis(Instant.ofEpochMilli(1_000)).setDimension(2)
                .setFrameStartMillis(List.of(0L, 40L)).setFrameEndMillis(List.of(40L, 80L))
                .setValues(List.of(0.5f, -1.25f, 3f, 0f)).build();
    }

    @Test
    void featureChunkRoundTripsThroughSingleObjectEncoding() throws Exception {
        FeatureChunk original = chunk();
        byte[] bytes = WireFormat.encode(original);

        // Single-object encoding: marker C3 01, then the 8-byte fingerprint, then the body.
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(WireFormat.decodeFeatureChunk(WireFormat.featureChunkDecoder(), bytes)).isEqualTo(original);
    }

    @Test
    void scoreAndDeadLetterRoundTrip() throws Exception {
        SentimentScore score = SentimentScore.newBuilder().setCallId("call-1").setParticipantId("p1")
                .setWindowStartMillis(Instant.ofEpochMilli(5_000)).setWindowEndMillis(Instant.ofEpochMilli(10_000))
                .setScore(1.5f).setPolarity(Polarity.POSITIVE)
                .setModalities(List.of(ModalityPresence.newBuilder().setModality(io.hrlf.avro.Modality.TEXT)
                        .setPresent(true).setFrames(3).setCompleteness(0.75f).build()))
                .setMissingPattern("l").setModelVersion("v1").setRevision(0)
                .setEmitTimestampMillis(Instant.ofEpochMilli(12_000)).build();
        assertThat(WireFormat.decodeScore(WireFormat.encode(score))).isEqualTo(score);

        DeadLetter letter = DeadLetter.newBuilder().setSourceTopic("t").setPartition(1).setOffset(9)
                .setKey(ByteBuffer.wrap("k".getBytes(StandardCharsets.UTF_8)))
                .setValue(ByteBuffer.wrap(new byte[] {1, 2, 3})).setReason("DECODE_ERROR").setDetail("garbage")
                .setRejectedAtMillis(Instant.ofEpochMilli(1)).build();
        assertThat(WireFormat.decodeDeadLetter(WireFormat.encode(letter))).isEqualTo(letter);
    }

    @Test
    void anUnknownFingerprintIsUnknownSchemaNotMalformed() {
        byte[] bytes = WireFormat.encode(chunk());
        for (int i = 2; i < 10; i++) {
            bytes[i] = (byte) ~bytes[i];
        }
        assertThatThrownBy(() -> WireFormat.decodeFeatureChunk(WireFormat.featureChunkDecoder(), bytes))
                .isInstanceOfSatisfying(WireFormatException.class,
                        e -> assertThat(e.kind()).isEqualTo(WireFormatException.Kind.UNKNOWN_SCHEMA));
    }

    @Test
    void bytesWithoutTheMarkerAreMalformed() {
        byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> WireFormat.decodeFeatureChunk(WireFormat.featureChunkDecoder(), garbage))
                .isInstanceOfSatisfying(WireFormatException.class,
                        e -> assertThat(e.kind()).isEqualTo(WireFormatException.Kind.MALFORMED));
    }
}
