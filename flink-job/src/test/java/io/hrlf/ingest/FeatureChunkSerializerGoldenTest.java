package io.hrlf.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.hrlf.avro.FeatureChunk;
import io.hrlf.avro.Modality;
import io.hrlf.golden.GoldenBytes;
import java.time.Instant;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@link FeatureChunkSerializer} is never in keyed or operator state, so savepoints do not hold its
 * bytes; chunks in flight between tasks do end up in checkpoints when unaligned checkpoints are
 * enabled, and a release must read those after an upgrade. {@code golden/feature-chunk-v1.*} were
 * written by the serializer of commit 796b4ee from: call "call-ü/7", participant "p-1", AUDIO, sequence
 * 41, produced at 1,700,000,001,000 ms, d=2, frames [1,700,000,000,000, +100) and [+100, +200), values
 * (0.5, -1.25, 3, Float.MIN_VALUE).
 */
class FeatureChunkSerializerGoldenTest {

    @Test
    void theCurrentSerializerRestoresAndReadsTheGoldenChunk() throws Exception {
        TypeSerializerSnapshot<FeatureChunk> snapshot = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(GoldenBytes.read("feature-chunk-v1.snapshot")), getClass().getClassLoader());
        assertThat(FeatureChunkSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(snapshot)
                .isCompatibleAsIs()).isTrue();

        DataInputDeserializer in = new DataInputDeserializer(GoldenBytes.read("feature-chunk-v1.record"));
        FeatureChunk chunk = snapshot.restoreSerializer().deserialize(in);
        assertThat(in.available()).as("every golden byte read").isZero();

        assertThat(chunk.getCallId()).isEqualTo("call-ü/7");
        assertThat(chunk.getParticipantId()).isEqualTo("p-1");
        assertThat(chunk.getModality()).isEqualTo(Modality.AUDIO);
        assertThat(chunk.getSequenceNumber()).isEqualTo(41);
        assertThat(chunk.getProducerTimestampMillis()).isEqualTo(Instant.ofEpochMilli(1_700_000_001_000L));
        assertThat(chunk.getDimension()).isEqualTo(2);
        assertThat(chunk.getFrameStartMillis()).containsExactly(1_700_000_000_000L, 1_700_000_000_100L);
        assertThat(chunk.getFrameEndMillis()).containsExactly(1_700_000_000_100L, 1_700_000_000_200L);
        assertThat(chunk.getValues()).containsExactly(0.5f, -1.25f, 3f, Float.MIN_VALUE);

        DataOutputSerializer rewritten = new DataOutputSerializer(128);
        FeatureChunkSerializer.INSTANCE.serialize(chunk, rewritten);
        assertThat(rewritten.getCopyOfBuffer()).isEqualTo(GoldenBytes.read("feature-chunk-v1.record"));
    }
}
