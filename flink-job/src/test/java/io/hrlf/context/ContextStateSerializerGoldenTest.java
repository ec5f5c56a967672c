package io.hrlf.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hrlf.golden.GoldenBytes;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * Context state in savepoints must stay readable. {@code golden/context-state-v1.snapshot} and
 * {@code golden/context-state-v1.state} were written by the first release of
 * {@link ContextStateSerializer} (layout 1) from this state: d_c = 3, window 5000 remembered as
 * (0.5, -1, 2), window 10000 as (1.5, 0, -0.25), expiry at 615000. Never regenerate them: a layout
 * change adds new golden files and keeps these passing.
 */
class ContextStateSerializerGoldenTest {

    @Test
    void theCurrentSerializerRestoresAndReadsStateWrittenByLayoutOne() throws Exception {
        TypeSerializerSnapshot<ContextState> snapshot = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(GoldenBytes.read("context-state-v1.snapshot")), getClass().getClassLoader());
        assertThat(snapshot).isInstanceOf(ContextStateSerializer.Snapshot.class);
        assertThat(((ContextStateSerializer.Snapshot) snapshot).layoutVersion()).isEqualTo(1);
        assertThat(ContextStateSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(snapshot)
                .isCompatibleAsIs()).as("layout 1 is the current layout").isTrue();

        TypeSerializer<ContextState> restored = snapshot.restoreSerializer();
        DataInputDeserializer in = new DataInputDeserializer(GoldenBytes.read("context-state-v1.state"));
        ContextState state = restored.deserialize(in);
        assertThat(in.available()).as("every golden byte read").isZero();
        assertThat(state.dimension()).isEqualTo(3);
        assertThat(state.expiresAt()).isEqualTo(615_000);
        assertThat(state.size()).isEqualTo(2);
        assertThat(state.start(0)).isEqualTo(5_000);
        assertThat(state.start(1)).isEqualTo(10_000);
        assertThat(state.representation(0)).containsExactly(0.5f, -1f, 2f);
        assertThat(state.representation(1)).containsExactly(1.5f, 0f, -0.25f);

        DataOutputSerializer rewritten = new DataOutputSerializer(64);
        ContextStateSerializer.INSTANCE.serialize(state, rewritten);
        assertThat(rewritten.getCopyOfBuffer()).as("layout 1 is still what is written")
                .isEqualTo(GoldenBytes.read("context-state-v1.state"));
    }

    @Test
    void stateOfALayoutThisReleaseCannotReadIsRefusedClearly() throws Exception {
        DataOutputSerializer payload = new DataOutputSerializer(8);
        payload.writeInt(ContextStateSerializer.LAYOUT_VERSION + 1);
        ContextStateSerializer.Snapshot future = new ContextStateSerializer.Snapshot();
        future.readSnapshot(ContextStateSerializer.Snapshot.FORMAT, new DataInputDeserializer(payload.getCopyOfBuffer()),
                getClass().getClassLoader());
        assertThat(ContextStateSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(future)
                .isIncompatible()).isTrue();
        assertThatThrownBy(future::restoreSerializer)
                .hasMessageContaining("layout " + (ContextStateSerializer.LAYOUT_VERSION + 1));
        assertThatThrownBy(() -> new ContextStateSerializer.Snapshot().readSnapshot(99,
                new DataInputDeserializer(new byte[0]), getClass().getClassLoader())).hasMessageContaining("99");
    }
}
