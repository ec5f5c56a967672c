package io.hrlf.ingest;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink type of the validated chunks, the stream into the window assembler: serialized by
 * {@link ValidatedChunkSerializer}. {@link ValidatedChunk} names it with {@code @TypeInfo}, so Flink
 * uses it wherever the type appears (also as a field of {@link IngestRecord}).
 */
public final class ValidatedChunkTypeInfo extends TypeInformation<ValidatedChunk> {
    private static final long serialVersionUID = 1L;
    public static final ValidatedChunkTypeInfo INSTANCE = new ValidatedChunkTypeInfo();

    private ValidatedChunkTypeInfo() {}

    /** What {@code @TypeInfo} on {@link ValidatedChunk} points to. */
    public static final class Factory extends TypeInfoFactory<ValidatedChunk> {
        @Override
        public TypeInformation<ValidatedChunk> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return INSTANCE;
        }
    }

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
    public Class<ValidatedChunk> getTypeClass() {
        return ValidatedChunk.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<ValidatedChunk> createSerializer(SerializerConfig config) {
        return ValidatedChunkSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "ValidatedChunk (FeatureChunkSerializer)";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof ValidatedChunkTypeInfo;
    }

    @Override
    public int hashCode() {
        return ValidatedChunkTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof ValidatedChunkTypeInfo;
    }
}
