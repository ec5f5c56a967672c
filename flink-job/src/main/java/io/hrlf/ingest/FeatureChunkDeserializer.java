package io.hrlf.ingest;

import io.hrlf.avro.FeatureChunk;
import io.hrlf.contract.Modality;
import io.hrlf.wire.WireFormat;
import io.hrlf.wire.WireFormatException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes and validates each record of one modality's topic inside the Kafka source, where the
 * original bytes, topic, partition and offset are still at hand. It never throws: every record
 * becomes an accepted or a refused {@link IngestRecord}.
 */
public class FeatureChunkDeserializer implements KafkaRecordDeserializationSchema<IngestRecord> {
    private static final long serialVersionUID = 1L;

    private final Modality modality;
    private final FeatureChunkValidator validator;
    private transient BinaryMessageDecoder<FeatureChunk> decoder;

    public FeatureChunkDeserializer(Modality modality, FeatureChunkValidator validator) {
        this.modality = modality;
        this.validator = validator;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        decoder = WireFormat.featureChunkDecoder();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<IngestRecord> out) {
        if (decoder == null) {
            decoder = WireFormat.featureChunkDecoder();
        }
        out.collect(toIngestRecord(record));
    }

    IngestRecord toIngestRecord(ConsumerRecord<byte[], byte[]> record) {
        FeatureChunk chunk;
        try {
            chunk = WireFormat.decodeFeatureChunk(decoder, record.value());
        } catch (WireFormatException e) {
            RejectReason reason = e.kind() == WireFormatException.Kind.UNKNOWN_SCHEMA
                    ? RejectReason.UNKNOWN_SCHEMA : RejectReason.DECODE_ERROR;
            return refused(record, reason, e.getMessage());
        }
        FeatureChunkValidator.Result result = validator.validate(chunk, modality);
        if (result instanceof FeatureChunkValidator.Rejection rejection) {
            return refused(record, rejection.reason(), rejection.detail());
        }
        return IngestRecord.accepted((ValidatedChunk) result, modality.inputName());
    }

    private IngestRecord refused(ConsumerRecord<byte[], byte[]> record, RejectReason reason, String detail) {
        return IngestRecord.refused(modality.inputName(), record.topic(), record.partition(), record.offset(),
                record.key(), record.value(), reason, detail == null ? reason.name() : detail);
    }

    @Override
    public TypeInformation<IngestRecord> getProducedType() {
        return TypeInformation.of(IngestRecord.class);
    }
}
