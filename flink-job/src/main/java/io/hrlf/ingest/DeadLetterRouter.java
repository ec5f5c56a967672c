package io.hrlf.ingest;

import io.hrlf.avro.DeadLetter;
import io.hrlf.contract.Modality;
import io.hrlf.metrics.HrlfMetrics;
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
public class DeadLetterRouter extends ProcessFunction<IngestRecord, ValidatedChunk> {
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
    public void processElement(IngestRecord record, Context ctx, Collector<ValidatedChunk> out) {
        if (record.isAccepted()) {
            ValidatedChunk chunk = record.chunk;
            // registered on first use: each source's router sees one modality and only the reasons that occur
            framesIn.computeIfAbsent(chunk.modality(),
                    m -> HrlfMetrics.framesIn(getRuntimeContext().getMetricGroup(), m))
                    .inc(chunk.chunk().getFrameStartMillis().size());
            out.collect(chunk);
            return;
        }
        RejectReason reason = RejectReason.valueOf(record.reason);
        rejected.computeIfAbsent(reason,
                r -> HrlfMetrics.recordsRejected(getRuntimeContext().getMetricGroup(), r.name())).inc();
        ctx.output(DEAD_LETTERS, DeadLetters.refusedRecord(record.topic, record.partition, record.offset, record.key,
                record.value, reason, record.detail));
    }
}
