package io.hrlf.avro;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.junit.jupiter.api.Test;

/**
 * The evolution rules of the wire format: a new schema version may only add fields with defaults
 * (and enum symbols, which older readers map to UNKNOWN); it must stay readable by the current
 * classes (forward) and must read what the current classes wrote (backward). The topics carry Avro
 * single-object encoding, so a reader knows each writer's schema by fingerprint.
 */
class SchemaEvolutionTest {

    private static Schema load(String resource) throws Exception {
        try (InputStream in = SchemaEvolutionTest.class.getResourceAsStream(resource)) {
            return new Schema.Parser().parse(in);
        }
    }

    @Test
    void additiveChangeIsCompatibleBothWays() throws Exception {
        Schema current = FeatureChunk.getClassSchema();
        Schema next = load("/evolution/FeatureChunk-v2.avsc");
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, next).getType())
                .as("current readers read v2 records").isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(next, current).getType())
                .as("v2 readers read current records").isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    @Test
    void requiredFieldWithoutDefaultIsRejected() throws Exception {
        Schema current = FeatureChunk.getClassSchema();
        Schema breaking = load("/evolution/FeatureChunk-breaking.avsc");
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(breaking, current).getType())
                .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    @Test
    void currentReaderDecodesANewerWritersSingleObjectRecord() throws Exception {
        Schema next = load("/evolution/FeatureChunk-v2.avsc");
        GenericRecord v2 = new GenericData.Record(next);
        v2.put("callId", "call-1");
        v2.put("participantId", "p-1");
        v2.put("modality", new GenericData.EnumSymbol(next.getField("modality").schema(), "THERMAL"));
        v2.put("sequenceNumber", 7L);
        v2.put("producerTimestampMillis", 1000L);
        v2.put("dimension", 2);
        v2.put("frameStartMillis", List.of(0L));
        v2.put("frameEndMillis", List.of(40L));
        v2.put("values", List.of(0.5f, -0.5f));
        v2.put("extractorVersion", "2.1");
        ByteBuffer bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), next).encode(v2);

        SchemaStore.Cache known = new SchemaStore.Cache();
        known.addSchema(next);
        BinaryMessageDecoder<FeatureChunk> decoder = FeatureChunk.createDecoder(known);
        FeatureChunk decoded = decoder.decode(bytes);

        assertThat(decoded.getCallId()).isEqualTo("call-1");
        assertThat(decoded.getSequenceNumber()).isEqualTo(7L);
        assertThat(decoded.getValues()).containsExactly(0.5f, -0.5f);
        // an enum symbol this reader does not know becomes the declared default
        assertThat(decoded.getModality()).isEqualTo(Modality.UNKNOWN);
    }

    @Test
    void outputRecordsRoundTrip() throws Exception {
        SentimentScore score = SentimentScore.newBuilder()
                .setCallId("c").setParticipantId("p")
                .setWindowStartMillis(java.time.Instant.ofEpochMilli(0))
                .setWindowEndMillis(java.time.Instant.ofEpochMilli(5000))
                .setScore(1.25f).setPolarity(Polarity.POSITIVE)
                .setModalities(List.of(new ModalityPresence(Modality.TEXT, true, 1f, 12)))
                .setMissingPattern("l").setModelVersion("m").setRevision(0)
                .setEmitTimestampMillis(java.time.Instant.ofEpochMilli(6000))
                .build();
        assertThat(SentimentScore.fromByteBuffer(score.toByteBuffer())).isEqualTo(score);
    }
}
