package io.hrlf.ingest;

import io.hrlf.avro.DeadLetter;
import io.hrlf.avro.FeatureChunk;
import io.hrlf.contract.Modality;
import io.hrlf.metrics.HrlfMetrics;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Sends accepted chunks on and refused records to the {@link #DEAD_LETTERS} side output, counting
 * frames in per modality and rejections per reason. One runs chained to each source.
 */
public class DeadLetterRouter extends ProcessFunction<IngestRecord, FeatureChunk> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private transient Map<Modality, Counter> framesIn;
    private transient Map<RejectReason, Counter> rejected;

    @Override
    public void open(OpenContext openContext) {
        framesIn = new EnumMap<>(Modality.class);
        rejected = new EnumMap<>(RejectReason.class);
    }

    @Override
    public void processElement(IngestRecord record, Context ctx, Collector<FeatureChunk> out) {
        if (record.isAccepted()) {
            FeatureChunk chunk = record.chunk;
            // registered on first use: each source's router sees one modality and only the reasons that occur
            framesIn.computeIfAbsent(Modality.valueOf(chunk.getModality().name()),
                    m -> HrlfMetrics.framesIn(getRuntimeContext().getMetricGroup(), m))
                    .inc(chunk.getFrameStartMillis().size());
            out.collect(chunk);
            return;
        }
        rejected.computeIfAbsent(RejectReason.valueOf(record.reason),
                reason -> HrlfMetrics.recordsRejected(getRuntimeContext().getMetricGroup(), reason.name())).inc();
        ctx.output(DEAD_LETTERS, DeadLetter.newBuilder()
                .setSourceTopic(record.topic)
                .setPartition(record.partition)
                .setOffset(record.offset)
                .setKey(record.key == null ? null : ByteBuffer.wrap(record.key))
                .setValue(record.value == null ? null : ByteBuffer.wrap(record.value))
                .setReason(record.reason)
                .setDetail(record.detail)
                .setRejectedAtMillis(Instant.now())
                .build());
    }
}
