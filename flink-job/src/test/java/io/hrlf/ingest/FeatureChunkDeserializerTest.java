package io.hrlf.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.hrlf.avro.FeatureChunk;
import io.hrlf.contract.Modality;
import io.hrlf.wire.WireFormat;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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
    /** The task manager's clock, fixed so that "the future" is a fixed instant. */
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private final FeatureChunkDeserializer deserializer = new FeatureChunkDeserializer(Modality.AUDIO,
            new FeatureChunkValidator(DIMS, 16, 4, Duration.ofMinutes(1), Clock.fixed(NOW, ZoneOffset.UTC)));

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
        assertThat(record.chunk.chunk().getParticipantId()).isEqualTo("p1");
        assertThat(record.chunk.modality()).isEqualTo(io.hrlf.contract.Modality.AUDIO);
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
        assertRefused(b -> b.setCallId("c".repeat(100 * 1024)), RejectReason.INVALID_ID);
        long inTwoMinutes = NOW.plus(Duration.ofMinutes(2)).toEpochMilli();
        assertRefused(b -> b.setFrameStartMillis(List.of(0L, inTwoMinutes - 10)).setFrameEndMillis(List.of(10L, inTwoMinutes)),
                RejectReason.FRAME_TIME_IN_FUTURE);
    }

    @Test
    void framesInThePastAndWithinTheClockSkewAreAccepted() {
        long inThirtySeconds = NOW.plusSeconds(30).toEpochMilli();
        assertThat(read(WireFormat.encode(valid().setFrameStartMillis(List.of(0L, inThirtySeconds - 10))
                .setFrameEndMillis(List.of(10L, inThirtySeconds)).build())).isAccepted())
                .as("a producer clock a little ahead is tolerated").isTrue();
        assertThat(read(WireFormat.encode(valid().build())).isAccepted())
                .as("1970 is a replay, not an error: the windows count it as late if it is").isTrue();
    }

    /**
     * A seeded generator of semantically mutated records (ids, modality, dimension, frame lists,
     * times, values): every one is accepted or refused with a stable reason, none throws, and the
     * accepted ones are exactly those a direct check of the invariants calls valid.
     */
    @Test
    void thousandsOfMutatedRecordsAreEachAcceptedOrRefusedNeverThrown() {
        Random random = new Random(2026);
        int accepted = 0;
        java.util.Map<String, Integer> refusedByReason = new java.util.TreeMap<>();
        for (int i = 0; i < 5_000; i++) {
            FeatureChunk chunk = mutate(valid().build(), random);
            IngestRecord record = read(WireFormat.encode(chunk));
            if (record.isAccepted()) {
                accepted++;
                assertThat(invariantsHold(record.chunk.chunk())).as("accepted %s", record.chunk).isTrue();
            } else {
                refusedByReason.merge(RejectReason.valueOf(record.reason).name(), 1, Integer::sum);
                assertThat(record.detail).isNotBlank();
            }
        }
        assertThat(accepted + refusedByReason.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(5_000);
        assertThat(accepted).as("the generator also keeps some records valid").isGreaterThan(100);
        assertThat(refusedByReason.keySet()).as("the mutations reach most reasons").hasSizeGreaterThanOrEqualTo(9);
    }

    private static FeatureChunk mutate(FeatureChunk chunk, Random random) {
        FeatureChunk.Builder b = FeatureChunk.newBuilder(chunk);
        int mutations = random.nextInt(3);
        for (int k = 0; k < mutations; k++) {
            switch (random.nextInt(10)) {
                case 0 -> b.setCallId(random.nextBoolean() ? "" : "x".repeat(random.nextInt(40)) + (random.nextBoolean() ? "/" : ""));
                case 1 -> b.setModality(io.hrlf.avro.Modality.values()[random.nextInt(io.hrlf.avro.Modality.values().length)]);
                case 2 -> b.setDimension(random.nextInt(5));
                case 3 -> {
                    int frames = random.nextInt(7);
                    List<Long> starts = new ArrayList<>();
                    List<Long> ends = new ArrayList<>();
                    for (int f = 0; f < frames; f++) {
                        starts.add(f * 10L);
                        ends.add(f * 10L + 10);
                    }
                    b.setFrameStartMillis(starts).setFrameEndMillis(ends);
                }
                case 4 -> b.setFrameEndMillis(List.of(random.nextLong(-20, 30), random.nextLong(-20, 30)));
                case 5 -> b.setFrameStartMillis(List.of(random.nextLong(-20, 30), random.nextLong(-20, 30)));
                case 6 -> {
                    List<Float> values = new ArrayList<>(b.getValues());
                    float[] odd = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e30f, -0f};
                    if (!values.isEmpty()) {
                        values.set(random.nextInt(values.size()), odd[random.nextInt(odd.length)]);
                    }
                    b.setValues(values);
                }
                case 7 -> {
                    List<Float> values = new ArrayList<>();
                    for (int v = random.nextInt(9); v > 0; v--) {
                        values.add(random.nextFloat());
                    }
                    b.setValues(values);
                }
                case 8 -> {
                    long future = NOW.toEpochMilli() + random.nextLong(-120_000, 3_600_000);
                    b.setFrameStartMillis(List.of(0L, future - 10)).setFrameEndMillis(List.of(10L, future));
                }
                default -> b.setSequenceNumber(random.nextLong());
            }
        }
        return b.build();
    }

    /** The validator's rules restated independently, for the accepted records of the generator. */
    private static boolean invariantsHold(FeatureChunk c) {
        int d = DIMS[Modality.AUDIO.ordinal()];
        int frames = c.getFrameStartMillis().size();
        if (c.getCallId().isBlank() || c.getCallId().length() > 16 || c.getCallId().contains("/")
                || c.getModality() != io.hrlf.avro.Modality.AUDIO || c.getDimension() != d
                || frames == 0 || frames > 4 || c.getFrameEndMillis().size() != frames || c.getValues().size() != frames * d) {
            return false;
        }
        for (int f = 0; f < frames; f++) {
            long start = c.getFrameStartMillis().get(f);
            long end = c.getFrameEndMillis().get(f);
            if (start < 0 || end < start || end > NOW.toEpochMilli() + 60_000) {
                return false;
            }
        }
        return c.getValues().stream().allMatch(Float::isFinite);
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
