package io.hrlf.context;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializer of {@link ContextState}. Every record carries its own d_c, so the serializer has no
 * configuration. Layout, version {@value #LAYOUT_VERSION}:
 *
 * <pre>
 *   dimension: int, expiresAt: long, count: int,
 *   count x { windowStart: long, representation: float[dimension] }
 * </pre>
 *
 * <p>The layout version is written into every savepoint by {@link Snapshot}. To change the layout:
 * raise {@link #LAYOUT_VERSION}, keep a reader for the old layout, let {@link Snapshot} restore it for
 * old snapshots, and keep {@code ContextStateSerializerGoldenTest} passing on the checked-in bytes.
 */
public final class ContextStateSerializer extends TypeSerializerSingleton<ContextState> {
    public static final ContextStateSerializer INSTANCE = new ContextStateSerializer();
    /** The record layout this serializer writes and reads. */
    public static final int LAYOUT_VERSION = 1;

    private ContextStateSerializer() {}

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public ContextState createInstance() {
        return new ContextState(1);
    }

    @Override
    public ContextState copy(ContextState from) {
        return from.copy();
    }

    @Override
    public ContextState copy(ContextState from, ContextState reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(ContextState state, DataOutputView out) throws IOException {
        out.writeInt(state.dimension());
        out.writeLong(state.expiresAt());
        out.writeInt(state.size());
        for (int i = 0; i < state.size(); i++) {
            out.writeLong(state.start(i));
            for (float v : state.representation(i)) {
                out.writeFloat(v);
            }
        }
    }

    @Override
    public ContextState deserialize(DataInputView in) throws IOException {
        int dimension = in.readInt();
        long expiresAt = in.readLong();
        int count = in.readInt();
        List<Long> starts = new ArrayList<>(count);
        List<float[]> representations = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            starts.add(in.readLong());
            float[] representation = new float[dimension];
            for (int j = 0; j < dimension; j++) {
                representation[j] = in.readFloat();
            }
            representations.add(representation);
        }
        return new ContextState(dimension, starts, representations, expiresAt);
    }

    @Override
    public ContextState deserialize(ContextState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<ContextState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer's identity in a checkpoint or savepoint, with the record layout its state was written in. */
    public static final class Snapshot implements TypeSerializerSnapshot<ContextState> {
        static final int FORMAT = 1;

        private int layoutVersion = LAYOUT_VERSION;

        /** Flink creates snapshots reflectively, then calls {@link #readSnapshot}. */
        public Snapshot() {}

        public int layoutVersion() {
            return layoutVersion;
        }

        @Override
        public int getCurrentVersion() {
            return FORMAT;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeInt(layoutVersion);
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader userCodeClassLoader) throws IOException {
            if (readVersion != FORMAT) {
                throw new IOException("context-state serializer snapshot format " + readVersion
                        + " is unknown to this release (it reads " + FORMAT + ")");
            }
            layoutVersion = in.readInt();
        }

        @Override
        public TypeSerializer<ContextState> restoreSerializer() {
            if (layoutVersion != LAYOUT_VERSION) {
                throw new IllegalStateException("context state in layout " + layoutVersion
                        + " cannot be read by this release, which reads layout " + LAYOUT_VERSION);
            }
            return INSTANCE;
        }

        @Override
        public TypeSerializerSchemaCompatibility<ContextState> resolveSchemaCompatibility(
                TypeSerializerSnapshot<ContextState> oldSerializerSnapshot) {
            if (oldSerializerSnapshot instanceof Snapshot old && old.layoutVersion == LAYOUT_VERSION) {
                return TypeSerializerSchemaCompatibility.compatibleAsIs();
            }
            return TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
