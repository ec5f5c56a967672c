package io.hrlf.ingest;

import io.hrlf.avro.FeatureChunk;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink type of the chunk stream into the window assembler: serialized by {@link FeatureChunkSerializer}. */
public final class FeatureChunkTypeInfo extends TypeInformation<FeatureChunk> {
    private static final long serialVersionUID = 1L;
    public static final FeatureChunkTypeInfo INSTANCE = new FeatureChunkTypeInfo();

    private FeatureChunkTypeInfo() {}

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<FeatureChunk> getTypeClass() {
        return FeatureChunk.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<FeatureChunk> createSerializer(SerializerConfig config) {
        return FeatureChunkSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "FeatureChunk (FeatureChunkSerializer)";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof FeatureChunkTypeInfo;
    }

    @Override
    public int hashCode() {
        return FeatureChunkTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof FeatureChunkTypeInfo;
    }
}
