package io.hrlf.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hrlf.binning.BinAccumulator;
import io.hrlf.contract.Modality;
import io.hrlf.golden.GoldenBytes;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * Window state in savepoints must stay readable. {@code golden/window-state-v1.snapshot} and
 * {@code golden/window-state-v1.state} were written by the serializer of commit 796b4ee (layout 1,
 * before the snapshot recorded its layout) from this state: window of T=3 steps over [0, 300) with
 * dims text/audio/vision 2/1/4; text frames [0,150) = (1.5, -2) and [100,200) = (0.25, 4), one vision
 * frame [200,300) = (1, 2, 3, 4), no audio, emitted twice (fired, revision 1). Never regenerate
 * them: a layout change adds new golden files and keeps these passing.
 */
class WindowStateSerializerGoldenTest {

    private static byte[] golden(String name) {
        return GoldenBytes.read(name);
    }

    @Test
    void theCurrentSerializerRestoresAndReadsStateWrittenByLayoutOne() throws Exception {
        TypeSerializerSnapshot<WindowState> snapshot = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(golden("window-state-v1.snapshot")), getClass().getClassLoader());
        assertThat(snapshot).isInstanceOf(WindowStateSerializer.Snapshot.class);
        assertThat(((WindowStateSerializer.Snapshot) snapshot).layoutVersion()).isEqualTo(1);

        TypeSerializerSchemaCompatibility<WindowState> compatibility =
                WindowStateSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(snapshot);
        assertThat(compatibility.isCompatibleAsIs()).as("layout 1 is the current layout").isTrue();

        TypeSerializer<WindowState> restored = snapshot.restoreSerializer();
        DataInputDeserializer in = new DataInputDeserializer(golden("window-state-v1.state"));
        WindowState state = restored.deserialize(in);
        assertThat(in.available()).as("every golden byte read").isZero();

        assertThat(state.fired()).isTrue();
        assertThat(state.revision()).isEqualTo(1);
        assertAccumulator(state.accumulator(Modality.TEXT), 3, 2, 2,
                new float[] {1.5f, -2f, 1.75f, 2f, 0f, 0f}, new int[] {1, 2, 0});
        assertAccumulator(state.accumulator(Modality.AUDIO), 3, 1, 0, new float[3], new int[3]);
        assertAccumulator(state.accumulator(Modality.VISION), 3, 4, 1,
                new float[] {0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4}, new int[] {0, 0, 1});

        DataOutputSerializer rewritten = new DataOutputSerializer(256);
        WindowStateSerializer.INSTANCE.serialize(state, rewritten);
        assertThat(rewritten.getCopyOfBuffer()).as("layout 1 is still what is written")
                .isEqualTo(golden("window-state-v1.state"));
    }

    private static void assertAccumulator(BinAccumulator acc, int steps, int dimension, int frames, float[] sums,
                                          int[] counts) {
        assertThat(acc.steps()).isEqualTo(steps);
        assertThat(acc.dimension()).isEqualTo(dimension);
        assertThat(acc.frames()).isEqualTo(frames);
        assertThat(acc.rawSums()).containsExactly(sums);
        assertThat(acc.rawCounts()).containsExactly(counts);
    }

    @Test
    void todaysSnapshotRecordsTheLayoutVersion() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, WindowStateSerializer.INSTANCE.snapshotConfiguration());
        TypeSerializerSnapshot<WindowState> snapshot = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        WindowStateSerializer.Snapshot read = (WindowStateSerializer.Snapshot) snapshot;
        assertThat(read.getCurrentVersion()).isEqualTo(WindowStateSerializer.Snapshot.LAYOUT_FORMAT);
        assertThat(read.layoutVersion()).isEqualTo(WindowStateSerializer.LAYOUT_VERSION);
        assertThat(read.restoreSerializer()).isEqualTo(WindowStateSerializer.INSTANCE);
    }

    @Test
    void stateOfALayoutThisReleaseCannotReadIsRefusedClearly() throws Exception {
        DataOutputSerializer payload = new DataOutputSerializer(8);
        payload.writeInt(WindowStateSerializer.LAYOUT_VERSION + 1);
        WindowStateSerializer.Snapshot future = new WindowStateSerializer.Snapshot();
        future.readSnapshot(WindowStateSerializer.Snapshot.LAYOUT_FORMAT,
                new DataInputDeserializer(payload.getCopyOfBuffer()), getClass().getClassLoader());

        assertThat(WindowStateSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(future)
                .isIncompatible()).isTrue();
        assertThatThrownBy(future::restoreSerializer).hasMessageContaining("layout " + (WindowStateSerializer.LAYOUT_VERSION + 1));
        assertThatThrownBy(() -> new WindowStateSerializer.Snapshot().readSnapshot(99,
                new DataInputDeserializer(new byte[0]), getClass().getClassLoader())).hasMessageContaining("99");
    }
}
