package io.hrlf.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.hrlf.binning.TimeBins;
import io.hrlf.contract.Modality;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class WindowStateSerializerTest {

    private static WindowState sampleState() {
        WindowState state = new WindowState(3, new int[] {2, 1, 4});
        TimeBins bins = new TimeBins(0, 300, 3);
        state.accumulator(Modality.TEXT).add(bins, 0, 150, new float[] {1.5f, -2f}, 0);
        state.accumulator(Modality.VISION).add(bins, 200, 300, new float[] {1, 2, 3, 4}, 0);
        state.nextRevision();
        state.nextRevision();
        return state;
    }

    @Test
    void roundTripsThroughBytes() throws Exception {
        WindowState state = sampleState();
        DataOutputSerializer out = new DataOutputSerializer(64);
        WindowStateSerializer.INSTANCE.serialize(state, out);
        WindowState back = WindowStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back).isEqualTo(state);
        assertThat(back.revision()).isEqualTo(1);
        assertThat(back.fired()).isTrue();
        assertThat(back.accumulator(Modality.VISION).frames()).isEqualTo(1);

        DataOutputSerializer copied = new DataOutputSerializer(64);
        WindowStateSerializer.INSTANCE.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
        assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
    }

    @Test
    void copyIsDeep() {
        WindowState state = sampleState();
        WindowState copy = WindowStateSerializer.INSTANCE.copy(state);
        assertThat(copy).isEqualTo(state).isNotSameAs(state);
        copy.accumulator(Modality.AUDIO).add(new TimeBins(0, 300, 3), 0, 10, new float[] {9}, 0);
        assertThat(copy).isNotEqualTo(state);
    }

    @Test
    void snapshotRestoresACompatibleSerializer() throws Exception {
        TypeSerializerSnapshot<WindowState> snapshot = WindowStateSerializer.INSTANCE.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        snapshot.writeSnapshot(out);
        TypeSerializerSnapshot<WindowState> read = new WindowStateSerializer.Snapshot();
        read.readSnapshot(snapshot.getCurrentVersion(), new DataInputDeserializer(out.getCopyOfBuffer()),
                getClass().getClassLoader());
        TypeSerializer<WindowState> restored = read.restoreSerializer();
        assertThat(restored).isEqualTo(WindowStateSerializer.INSTANCE);
        TypeSerializerSchemaCompatibility<WindowState> compatibility =
                WindowStateSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(read);
        assertThat(compatibility.isCompatibleAsIs()).isTrue();
    }

    @Test
    void duplicateAndCreateInstanceAreUsable() throws Exception {
        TypeSerializer<WindowState> duplicate = WindowStateSerializer.INSTANCE.duplicate();
        assertThat(duplicate).isEqualTo(WindowStateSerializer.INSTANCE);
        assertThat(duplicate.hashCode()).isEqualTo(WindowStateSerializer.INSTANCE.hashCode());
        WindowState fresh = duplicate.createInstance();
        DataOutputSerializer out = new DataOutputSerializer(16);
        duplicate.serialize(fresh, out);
        assertThat(duplicate.deserialize(fresh, new DataInputDeserializer(out.getCopyOfBuffer()))).isEqualTo(fresh);
    }

    @Test
    void aVersionedSnapshotRestoresASerializerThatReadsOldBytes() throws Exception {
        WindowState state = sampleState();
        DataOutputSerializer data = new DataOutputSerializer(64);
        WindowStateSerializer.INSTANCE.serialize(state, data);

        DataOutputSerializer snapshotBytes = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(snapshotBytes,
                WindowStateSerializer.INSTANCE.snapshotConfiguration());
        TypeSerializerSnapshot<WindowState> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(snapshotBytes.getCopyOfBuffer()), getClass().getClassLoader());
        WindowState back = read.restoreSerializer().deserialize(new DataInputDeserializer(data.getCopyOfBuffer()));
        assertThat(back).isEqualTo(state);
    }
}
