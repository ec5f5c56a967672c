package io.hrlf.context;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ContextStateSerializerTest {

    static ContextState sampleState() {
        ContextState state = new ContextState(3);
        state.remember(5_000, new float[] {0.5f, -1f, 2f}, 4);
        state.remember(10_000, new float[] {1.5f, 0f, -0.25f}, 4);
        state.expiresAt(615_000);
        return state;
    }

    @Test
    void roundTripsThroughBytes() throws Exception {
        ContextState state = sampleState();
        DataOutputSerializer out = new DataOutputSerializer(64);
        ContextStateSerializer.INSTANCE.serialize(state, out);
        // d_c, expiry, count, then per window its start and d_c floats
        assertThat(out.length()).isEqualTo(4 + 8 + 4 + 2 * (8 + 3 * 4));
        ContextState back = ContextStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back).isEqualTo(state);
        assertThat(back.expiresAt()).isEqualTo(615_000);
        assertThat(back.before(Long.MAX_VALUE)).containsExactly(new float[] {0.5f, -1f, 2f}, new float[] {1.5f, 0f, -0.25f});

        DataOutputSerializer copied = new DataOutputSerializer(64);
        ContextStateSerializer.INSTANCE.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
        assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
    }

    @Test
    void emptyStateAndCopiesRoundTrip() throws Exception {
        TypeSerializer<ContextState> serializer = ContextStateSerializer.INSTANCE.duplicate();
        ContextState fresh = serializer.createInstance();
        DataOutputSerializer out = new DataOutputSerializer(16);
        serializer.serialize(fresh, out);
        assertThat(serializer.deserialize(fresh, new DataInputDeserializer(out.getCopyOfBuffer()))).isEqualTo(fresh);
        ContextState state = sampleState();
        assertThat(serializer.copy(state)).isEqualTo(state).isNotSameAs(state);
    }

    @Test
    void aVersionedSnapshotRestoresACompatibleSerializer() throws Exception {
        DataOutputSerializer snapshotBytes = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(snapshotBytes, ContextStateSerializer.INSTANCE.snapshotConfiguration());
        TypeSerializerSnapshot<ContextState> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(snapshotBytes.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(read.restoreSerializer()).isEqualTo(ContextStateSerializer.INSTANCE);
        assertThat(ContextStateSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(read)
                .isCompatibleAsIs()).isTrue();
    }
}
