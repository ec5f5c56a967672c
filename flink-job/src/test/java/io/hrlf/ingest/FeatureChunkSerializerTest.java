package io.hrlf.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.hrlf.avro.FeatureChunk;
import io.hrlf.avro.Modality;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class FeatureChunkSerializerTest {
    private static final FeatureChunkSerializer SERIALIZER = FeatureChunkSerializer.INSTANCE;

    private static FeatureChunk chunk(int frames, int dimension) {
        List<Long> starts = new ArrayList<>();
        List<Long> ends = new ArrayList<>();
        List<Float> values = new ArrayList<>();
        for (int f = 0; f < frames; f++) {
            starts.add(1_700_000_000_000L + 100L * f);
            ends.add(1_700_000_000_100L + 100L * f);
            for (int j = 0; j < dimension; j++) {
                values.add(f * 0.5f - j * 1.25f);
            }
        }
        return FeatureChunk.newBuilder().setCallId("call-ü/7").setParticipantId("p-1").setModality(Modality.AUDIO)
                .setSequenceNumber(41).setProducerTimestampMillis(Instant.ofEpochMilli(1_700_000_001_000L))
                .setDimension(dimension).setFrameStartMillis(starts).setFrameEndMillis(ends).setValues(values).build();
    }

    private static byte[] bytes(FeatureChunk chunk) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        SERIALIZER.serialize(chunk, out);
        return out.getCopyOfBuffer();
    }

    @Test
    void roundTripsEveryFieldAndAgainFromItsOwnPrimitiveArrays() throws Exception {
        FeatureChunk original = chunk(10, 16);
        FeatureChunk back = SERIALIZER.deserialize(new DataInputDeserializer(bytes(original)));
        assertThat(back).isEqualTo(original);
        // what it read is backed by primitive arrays; writing that again gives the same bytes
        assertThat(bytes(back)).isEqualTo(bytes(original));
        assertThat(SERIALIZER.deserialize(new DataInputDeserializer(bytes(back)))).isEqualTo(original);
    }

    @Test
    void anEmptyChunkAndTheCopiesRoundTripToo() throws Exception {
        FeatureChunk empty = chunk(0, 4);
        assertThat(SERIALIZER.deserialize(new DataInputDeserializer(bytes(empty)))).isEqualTo(empty);

        FeatureChunk original = chunk(3, 2);
        FeatureChunk copy = SERIALIZER.copy(original);
        assertThat(copy).isEqualTo(original).isNotSameAs(original);
        copy.getValues().set(0, 99f);
        assertThat(original.getValues().get(0)).as("a deep copy").isEqualTo(0f);

        DataOutputSerializer copied = new DataOutputSerializer(64);
        SERIALIZER.copy(new DataInputDeserializer(bytes(original)), copied);
        assertThat(copied.getCopyOfBuffer()).isEqualTo(bytes(original));
    }

    @Test
    void itCarriesEveryFieldOfTheSchema() {
        List<String> schemaFields = FeatureChunk.getClassSchema().getFields().stream().map(Schema.Field::name).toList();
        assertThat(FeatureChunkSerializer.FIELDS)
                .as("a field added to FeatureChunk.avsc must be added to FeatureChunkSerializer")
                .isEqualTo(schemaFields);
    }

    @Test
    void itsSnapshotRestoresTheSameSerializer() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, SERIALIZER.snapshotConfiguration());
        TypeSerializerSnapshot<FeatureChunk> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(restored.restoreSerializer()).isEqualTo(SERIALIZER);
        assertThat(SERIALIZER.snapshotConfiguration().resolveSchemaCompatibility(restored).isCompatibleAsIs()).isTrue();
    }
}
