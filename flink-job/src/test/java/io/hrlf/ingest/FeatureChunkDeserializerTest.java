package io.hrlf.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.hrlf.avro.FeatureChunk;
import io.hrlf.contract.Modality;
import io.hrlf.wire.WireFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Every reason a record can be refused for, and that nothing makes the deserializer throw. */
class FeatureChunkDeserializerTest {
    private static final int[] DIMS = {3, 2, 2};
    private final FeatureChunkDeserializer deserializer =
            new FeatureChunkDeserializer(Modality.AUDIO, new FeatureChunkValidator(DIMS, 16, 4));

    private static FeatureChunk.Builder valid() {
        return FeatureChunk.newBuilder().setCallId("call").setParticipantId("p1")
                .setModality(io.hrlf.avro.Modality.AUDIO).setSequenceNumber(3)
                .setProducerTimestampMillis(Instant.EPOCH).setDimension(2)
                .setFrameStartMillis(List.of(0L, 10L)).setFrameEndMillis(List.of(10L, 20L))
                .setValues(List.of(0.1f, 0.2f, 0.3f, 0.4f));
    }

    private IngestRecord read(byte[] value) {
        List<IngestRecord> out = new ArrayList<>();
        deserializer.deserialize(new ConsumerRecord<>("audio-topic", 1, 42L, "k".getBytes(StandardCharsets.UTF_8), value),
                new org.apache.flink.util.Collector<>() {
                    @Override
                    public void collect(IngestRecord record) {
                        out.add(record);
                    }

                    @Override
                    public void close() {}
                });
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    private void assertRefused(Consumer<FeatureChunk.Builder> change, RejectReason reason) {
        FeatureChunk.Builder builder = valid();
        change.accept(builder);
        byte[] bytes = WireFormat.encode(builder.build());
        IngestRecord record = read(bytes);
        assertThat(record.isAccepted()).isFalse();
        assertThat(record.reason).isEqualTo(reason.name());
        assertThat(record.detail).isNotBlank();
        assertThat(record.value).isEqualTo(bytes);
        assertThat(record.topic).isEqualTo("audio-topic");
        assertThat(record.partition).isEqualTo(1);
        assertThat(record.offset).isEqualTo(42L);
        assertThat(new String(record.key, StandardCharsets.UTF_8)).isEqualTo("k");
    }

    @Test
    void acceptsAValidChunkAndTimesItByItsLastFrame() {
        IngestRecord record = read(WireFormat.encode(valid().build()));
        assertThat(record.isAccepted()).isTrue();
        assertThat(record.chunk.getParticipantId()).isEqualTo("p1");
        assertThat(record.eventTime()).isEqualTo(20L);
        assertThat(record.value).as("accepted records do not carry their bytes on").isNull();
    }

    @Test
    void refusesEachKindOfBadChunk() {
        assertRefused(b -> b.setCallId(" "), RejectReason.MISSING_ID);
        assertRefused(b -> b.setParticipantId("x".repeat(17)), RejectReason.INVALID_ID);
        assertRefused(b -> b.setCallId("a/b"), RejectReason.INVALID_ID);
        assertRefused(b -> b.setModality(io.hrlf.avro.Modality.UNKNOWN), RejectReason.UNKNOWN_MODALITY);
        assertRefused(b -> b.setModality(io.hrlf.avro.Modality.VISION), RejectReason.MODALITY_MISMATCH);
        assertRefused(b -> b.setDimension(3), RejectReason.DIMENSION_MISMATCH);
        assertRefused(b -> b.setValues(List.of(0.1f, 0.2f, 0.3f)), RejectReason.FRAME_COUNT_MISMATCH);
        assertRefused(b -> b.setFrameEndMillis(List.of(10L)), RejectReason.FRAME_COUNT_MISMATCH);
        assertRefused(b -> b.setFrameStartMillis(List.of()).setFrameEndMillis(List.of()).setValues(List.of()),
                RejectReason.EMPTY_CHUNK);
        assertRefused(b -> b.setFrameStartMillis(Collections.nCopies(5, 0L)).setFrameEndMillis(Collections.nCopies(5, 1L))
                .setValues(Collections.nCopies(10, 0f)), RejectReason.CHUNK_TOO_LARGE);
        assertRefused(b -> b.setFrameEndMillis(List.of(10L, 5L)), RejectReason.INVALID_FRAME_TIME);
        assertRefused(b -> b.setFrameStartMillis(List.of(-5L, 10L)), RejectReason.INVALID_FRAME_TIME);
        assertRefused(b -> b.setValues(List.of(0.1f, Float.POSITIVE_INFINITY, 0.3f, 0.4f)), RejectReason.NON_FINITE_VALUE);
        assertRefused(b -> b.setValues(List.of(0.1f, 0.2f, Float.NaN, 0.4f)), RejectReason.NON_FINITE_VALUE);
    }

    @Test
    void bytesThatAreNotARecordAreRefusedNotThrown() {
        byte[] good = WireFormat.encode(valid().build());
        assertThat(read(null).reason).isEqualTo(RejectReason.DECODE_ERROR.name());
        assertThat(read(new byte[0]).reason).isEqualTo(RejectReason.DECODE_ERROR.name());
        byte[] unknownFingerprint = good.clone();
        unknownFingerprint[5] ^= 0x11;
        assertThat(read(unknownFingerprint).reason).isEqualTo(RejectReason.UNKNOWN_SCHEMA.name());

        // truncations and random mutations of a valid record: refused or accepted, never an exception
        Random random = new Random(1);
        int refused = 0;
        for (int i = 0; i < 2_000; i++) {
            byte[] mutated = i % 2 == 0 ? java.util.Arrays.copyOf(good, random.nextInt(good.length)) : good.clone();
            if (i % 2 == 1) {
                for (int flips = 0; flips < 3; flips++) {
                    mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
                }
            }
            IngestRecord record = read(mutated);
            if (!record.isAccepted()) {
                refused++;
                assertThat(RejectReason.valueOf(record.reason)).isNotNull();
                assertThat(record.value).isEqualTo(mutated);
            }
        }
        assertThat(refused).isGreaterThan(1_000);
    }
}
