package io.hrlf.window;

import io.hrlf.binning.BinAccumulator;
import io.hrlf.contract.Modality;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializer of {@link WindowState}. Every record carries its own T and dimensions, so the
 * serializer has no configuration and a model with another T can restore old state (its windows
 * simply close with the old shape). Layout, version {@value #LAYOUT_VERSION}:
 *
 * <pre>
 *   fired: boolean, revision: int,
 *   3 x { steps: int, dimension: int, frames: int, sums: float[steps*dimension], counts: int[steps] }
 * </pre>
 *
 * <p>The layout version is written into every savepoint by {@link Snapshot}. To change the layout:
 * raise {@link #LAYOUT_VERSION}, keep a reader for the old layout, let {@link Snapshot} restore that
 * reader for old snapshots and answer "compatible after migration", and keep
 * {@code WindowStateSerializerGoldenTest} passing on the checked-in bytes of every earlier layout.
 */
public final class WindowStateSerializer extends TypeSerializer<WindowState> {
    public static final WindowStateSerializer INSTANCE = new WindowStateSerializer();
    /** The record layout this serializer writes and reads. */
    public static final int LAYOUT_VERSION = 1;

    private WindowStateSerializer() {}

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<WindowState> duplicate() {
        return this; // stateless
    }

    @Override
    public WindowState createInstance() {
        return new WindowState(1, new int[] {1, 1, 1});
    }

    @Override
    public WindowState copy(WindowState from) {
        return from.copy();
    }

    @Override
    public WindowState copy(WindowState from, WindowState reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(WindowState state, DataOutputView out) throws IOException {
        out.writeBoolean(state.fired());
        out.writeInt(state.revision());
        for (BinAccumulator acc : state.accumulators()) {
            out.writeInt(acc.steps());
            out.writeInt(acc.dimension());
            out.writeInt(acc.frames());
            for (float sum : acc.rawSums()) {
                out.writeFloat(sum);
            }
            for (int count : acc.rawCounts()) {
                out.writeInt(count);
            }
        }
    }

    @Override
    public WindowState deserialize(DataInputView in) throws IOException {
        boolean fired = in.readBoolean();
        int revision = in.readInt();
        BinAccumulator[] accumulators = new BinAccumulator[Modality.ALL.size()];
        for (int m = 0; m < accumulators.length; m++) {
            int steps = in.readInt();
            int dimension = in.readInt();
            int frames = in.readInt();
            float[] sums = new float[steps * dimension];
            for (int i = 0; i < sums.length; i++) {
                sums[i] = in.readFloat();
            }
            int[] counts = new int[steps];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = in.readInt();
            }
            accumulators[m] = new BinAccumulator(steps, dimension, sums, counts, frames);
        }
        return new WindowState(accumulators, fired, revision);
    }

    @Override
    public WindowState deserialize(WindowState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof WindowStateSerializer;
    }

    @Override
    public int hashCode() {
        return WindowStateSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<WindowState> snapshotConfiguration() {
        return new Snapshot();
    }

    /**
     * The serializer's identity in a checkpoint or savepoint, with the record layout its state was
     * written in. Snapshot format {@value #LEGACY_FORMAT} is what releases up to commit 796b4ee wrote
     * (Flink's {@code SimpleTypeSerializerSnapshot}, no payload): their state is layout 1. Format
     * {@value #LAYOUT_FORMAT} writes the layout version as an int.
     */
    public static final class Snapshot implements TypeSerializerSnapshot<WindowState> {
        static final int LEGACY_FORMAT = 3;
        static final int LAYOUT_FORMAT = 4;

        private int layoutVersion = LAYOUT_VERSION;

        /** Flink creates snapshots reflectively, then calls {@link #readSnapshot}. */
        public Snapshot() {}

        /** The layout of the state written by the serializer this snapshot describes. */
        public int layoutVersion() {
            return layoutVersion;
        }

        @Override
        public int getCurrentVersion() {
            return LAYOUT_FORMAT;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeInt(layoutVersion);
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader userCodeClassLoader) throws IOException {
            switch (readVersion) {
                case LEGACY_FORMAT -> layoutVersion = 1;
                case LAYOUT_FORMAT -> layoutVersion = in.readInt();
                default -> throw new IOException("window-state serializer snapshot format " + readVersion
                        + " is unknown to this release (it reads " + LEGACY_FORMAT + " and " + LAYOUT_FORMAT + ")");
            }
        }

        @Override
        public TypeSerializer<WindowState> restoreSerializer() {
            if (layoutVersion != LAYOUT_VERSION) {
                throw new IllegalStateException("window state in layout " + layoutVersion
                        + " cannot be read by this release, which reads layout " + LAYOUT_VERSION);
            }
            return INSTANCE;
        }

        @Override
        public TypeSerializerSchemaCompatibility<WindowState> resolveSchemaCompatibility(
                TypeSerializerSnapshot<WindowState> oldSerializerSnapshot) {
            if (oldSerializerSnapshot instanceof Snapshot old && old.layoutVersion == LAYOUT_VERSION) {
                return TypeSerializerSchemaCompatibility.compatibleAsIs();
            }
            return TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
