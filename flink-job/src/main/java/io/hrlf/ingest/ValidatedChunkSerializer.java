package io.hrlf.ingest;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializer of {@link ValidatedChunk} for the shuffle into the window assembler: the chunk's bytes
 * are {@link FeatureChunkSerializer}'s, nothing is added. On the wire between tasks only, never in
 * keyed or operator state.
 */
public final class ValidatedChunkSerializer extends TypeSerializer<ValidatedChunk> {
    private static final long serialVersionUID = 1L;
    public static final ValidatedChunkSerializer INSTANCE = new ValidatedChunkSerializer();
    private static final FeatureChunkSerializer CHUNKS = FeatureChunkSerializer.INSTANCE;

    private ValidatedChunkSerializer() {}

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<ValidatedChunk> duplicate() {
        return this;
    }

    @Override
    public ValidatedChunk createInstance() {
        return null; // no valid empty chunk exists; Flink only asks serializers of mutable reuse types
    }

    @Override
    public ValidatedChunk copy(ValidatedChunk from) {
        return new ValidatedChunk(CHUNKS.copy(from.chunk()));
    }

    @Override
    public ValidatedChunk copy(ValidatedChunk from, ValidatedChunk reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(ValidatedChunk record, DataOutputView out) throws IOException {
        CHUNKS.serialize(record.chunk(), out);
    }

    @Override
    public ValidatedChunk deserialize(DataInputView in) throws IOException {
        return new ValidatedChunk(CHUNKS.deserialize(in));
    }

    @Override
    public ValidatedChunk deserialize(ValidatedChunk reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        CHUNKS.copy(in, out);
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof ValidatedChunkSerializer;
    }

    @Override
    public int hashCode() {
        return ValidatedChunkSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<ValidatedChunk> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer has no configuration; the snapshot only pins its identity and version. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ValidatedChunk> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
