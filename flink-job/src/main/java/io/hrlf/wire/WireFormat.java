package io.hrlf.wire;

import io.hrlf.avro.DeadLetter;
import io.hrlf.avro.FeatureChunk;
import io.hrlf.avro.SentimentScore;
import io.hrlf.contract.ParticipantKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;

/**
 * The topics' wire format: Avro single-object encoding (2-byte marker, 8-byte schema fingerprint,
 * binary body), so every record names its writer schema and no registry is needed.
 *
 * <p>Evolution rule: a new schema version may only add fields with defaults or enum symbols (checked
 * by {@code SchemaEvolutionTest}). Consumers are upgraded first and register the older writer
 * schemas they must still read in {@link #KNOWN_WRITER_SCHEMAS}; a record whose fingerprint no
 * consumer knows is dead-lettered as UNKNOWN_SCHEMA, never guessed at.
 */
public final class WireFormat {
    /** Writer schemas of earlier releases that this release still reads (none yet: version 1). */
    private static final SchemaStore.Cache KNOWN_WRITER_SCHEMAS = new SchemaStore.Cache();

    private WireFormat() {}

    /** A decoder for one thread (decoders keep buffers and are not shared across threads). */
    public static BinaryMessageDecoder<FeatureChunk> featureChunkDecoder() {
        return FeatureChunk.createDecoder(KNOWN_WRITER_SCHEMAS);
    }

    /**
     * Decodes a feature chunk, telling an unknown writer schema apart from bytes that are not a
     * record at all.
     */
    public static FeatureChunk decodeFeatureChunk(BinaryMessageDecoder<FeatureChunk> decoder, byte[] bytes)
            throws WireFormatException {
        if (bytes == null || bytes.length == 0) {
            throw new WireFormatException(WireFormatException.Kind.MALFORMED, "empty record value");
        }
        try {
            return decoder.decode(bytes);
        } catch (MissingSchemaException e) {
            throw new WireFormatException(WireFormatException.Kind.UNKNOWN_SCHEMA, e.getMessage());
        } catch (IOException | RuntimeException e) {
            throw new WireFormatException(WireFormatException.Kind.MALFORMED,
                    e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    public static byte[] encode(FeatureChunk chunk) {
        try {
            return bytes(chunk.toByteBuffer());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + chunk.getCallId(), e);
        }
    }

    public static byte[] encode(SentimentScore score) {
        try {
            return bytes(score.toByteBuffer());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode score of " + score.getCallId(), e);
        }
    }

    public static byte[] encode(DeadLetter letter) {
        try {
            return bytes(letter.toByteBuffer());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode dead letter from " + letter.getSourceTopic(), e);
        }
    }

    public static SentimentScore decodeScore(byte[] bytes) throws IOException {
        return SentimentScore.fromByteBuffer(ByteBuffer.wrap(bytes));
    }

    public static DeadLetter decodeDeadLetter(byte[] bytes) throws IOException {
        return DeadLetter.fromByteBuffer(ByteBuffer.wrap(bytes));
    }

    /** The Kafka key of everything about one participant ({@link ParticipantKey#toBytes()}). */
    public static byte[] participantKey(String callId, String participantId) {
        return new ParticipantKey(callId, participantId).toBytes();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }
}
