package io.hrlf.ingest;

import io.hrlf.avro.FeatureChunk;
import io.hrlf.avro.Modality;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.PrimitivesArrays;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializer of {@link FeatureChunk} for the job's one shuffle (chunks keyed by participant into the
 * window assembler). Flink's Avro serializer walks the frame lists element by element through Avro's
 * encoder, and was the job's largest cost in the pipeline profile (docs/BENCHMARKS.md); this one
 * writes the primitive arrays directly and reads them into Avro's primitive-backed arrays, so no
 * value is boxed. It is used only on the wire between tasks, never for state. Layout, version 1:
 *
 * <pre>
 *   callId: UTF, participantId: UTF, modality: byte (enum ordinal), sequenceNumber: long,
 *   producerTimestampMillis: long, dimension: int,
 *   frames: int, frameStartMillis: long[frames], frameEndMillis: long[frames],
 *   values: int, float[values]
 * </pre>
 *
 * {@link #FIELDS} lists the schema fields it carries; a test fails when the schema gains one.
 */
public final class FeatureChunkSerializer extends TypeSerializer<FeatureChunk> {
    private static final long serialVersionUID = 1L;
    public static final FeatureChunkSerializer INSTANCE = new FeatureChunkSerializer();
    /** The FeatureChunk fields this serializer writes, in schema order. */
    public static final List<String> FIELDS = List.of("callId", "participantId", "modality", "sequenceNumber",
            "producerTimestampMillis", "dimension", "frameStartMillis", "frameEndMillis", "values");
    private static final Modality[] MODALITIES = Modality.values();
    private static final Schema LONG_ARRAY = FeatureChunk.getClassSchema().getField("frameStartMillis").schema();
    private static final Schema FLOAT_ARRAY = FeatureChunk.getClassSchema().getField("values").schema();

    private FeatureChunkSerializer() {}

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<FeatureChunk> duplicate() {
        return this;
    }

    @Override
    public FeatureChunk createInstance() {
        return new FeatureChunk();
    }

    @Override
    public FeatureChunk copy(FeatureChunk from) {
        return FeatureChunk.newBuilder(from).build(); // the builder deep-copies every field
    }

    @Override
    public FeatureChunk copy(FeatureChunk from, FeatureChunk reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(FeatureChunk chunk, DataOutputView out) throws IOException {
        out.writeUTF(chunk.getCallId());
        out.writeUTF(chunk.getParticipantId());
        out.writeByte(chunk.getModality().ordinal());
        out.writeLong(chunk.getSequenceNumber());
        out.writeLong(chunk.getProducerTimestampMillis().toEpochMilli());
        out.writeInt(chunk.getDimension());
        List<Long> starts = chunk.getFrameStartMillis();
        List<Long> ends = chunk.getFrameEndMillis();
        out.writeInt(starts.size());
        writeLongs(starts, out);
        writeLongs(ends, out);
        List<Float> values = chunk.getValues();
        out.writeInt(values.size());
        if (values instanceof PrimitivesArrays.FloatArray primitive) {
            for (int i = 0; i < values.size(); i++) {
                out.writeFloat(primitive.getFloat(i));
            }
        } else {
            for (Float value : values) {
                out.writeFloat(value);
            }
        }
    }

    private static void writeLongs(List<Long> longs, DataOutputView out) throws IOException {
        if (longs instanceof PrimitivesArrays.LongArray primitive) {
            for (int i = 0; i < longs.size(); i++) {
                out.writeLong(primitive.getLong(i));
            }
        } else {
            for (Long value : longs) {
                out.writeLong(value);
            }
        }
    }

    @Override
    public FeatureChunk deserialize(DataInputView in) throws IOException {
        FeatureChunk chunk = new FeatureChunk();
        chunk.setCallId(in.readUTF());
        chunk.setParticipantId(in.readUTF());
        chunk.setModality(MODALITIES[in.readByte()]);
        chunk.setSequenceNumber(in.readLong());
        chunk.setProducerTimestampMillis(Instant.ofEpochMilli(in.readLong()));
        chunk.setDimension(in.readInt());
        int frames = in.readInt();
        chunk.setFrameStartMillis(readLongs(frames, in));
        chunk.setFrameEndMillis(readLongs(frames, in));
        int count = in.readInt();
        PrimitivesArrays.FloatArray values = new PrimitivesArrays.FloatArray(count, FLOAT_ARRAY);
        for (int i = 0; i < count; i++) {
            values.add(i, in.readFloat());
        }
        chunk.setValues(values);
        return chunk;
    }

    private static PrimitivesArrays.LongArray readLongs(int count, DataInputView in) throws IOException {
        PrimitivesArrays.LongArray longs = new PrimitivesArrays.LongArray(count, LONG_ARRAY);
        for (int i = 0; i < count; i++) {
            longs.add(i, in.readLong());
        }
        return longs;
    }

    @Override
    public FeatureChunk deserialize(FeatureChunk reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof FeatureChunkSerializer;
    }

    @Override
    public int hashCode() {
        return FeatureChunkSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<FeatureChunk> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer has no configuration; the snapshot only pins its identity and version. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<FeatureChunk> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
