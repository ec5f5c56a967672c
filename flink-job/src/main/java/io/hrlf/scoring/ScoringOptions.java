package io.hrlf.scoring;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

/** Configuration of the batched TensorFlow scorer. */
public final class ScoringOptions {
    public static final ConfigOption<Integer> BATCH_SIZE = ConfigOptions.key("hrlf.scoring.batch-size")
            .intType()
            .defaultValue(32)
            .withDescription("Most windows scored in one TensorFlow call. Windows of different participants are "
                    + "batched together; a batch is sent when full or when the max wait has passed.");

    public static final ConfigOption<Duration> BATCH_MAX_WAIT = ConfigOptions.key("hrlf.scoring.batch-max-wait")
            .durationType()
            .defaultValue(Duration.ofMillis(20))
            .withDescription("Longest a window waits for its batch to fill before it is scored anyway.");

    public static final ConfigOption<Duration> ASYNC_TIMEOUT = ConfigOptions.key("hrlf.scoring.async-timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription("A window not scored within this time (a hung TensorFlow call) goes to the dead-letter "
                    + "topic with reason SCORING_TIMED_OUT, counted, instead of failing the job into a restart loop.");

    public static final ConfigOption<Integer> ASYNC_CAPACITY = ConfigOptions.key("hrlf.scoring.async-capacity")
            .intType()
            .defaultValue(256)
            .withDescription("Windows in flight per scorer subtask (Flink async I/O capacity; checkpointed). "
                    + "Back-pressure starts beyond it.");

    public static final ConfigOption<Float> NEUTRAL_BAND = ConfigOptions.key("hrlf.scoring.neutral-band")
            .floatType()
            .defaultValue(0.5f)
            .withDescription("Scores within [-band, band] get polarity NEUTRAL; above POSITIVE, below NEGATIVE.");

    public static final ConfigOption<Integer> MAX_ATTEMPTS = ConfigOptions.key("hrlf.scoring.max-attempts")
            .intType()
            .defaultValue(3)
            .withDescription("TensorFlow calls per batch before giving up on it. A batch that still fails is scored "
                    + "window by window; a window that fails alone goes to the dead-letter topic (INFERENCE_FAILED) "
                    + "instead of failing the job into a restart loop.");

    public static final ConfigOption<Duration> RETRY_BACKOFF = ConfigOptions.key("hrlf.scoring.retry-backoff")
            .durationType()
            .defaultValue(Duration.ofMillis(100))
            .withDescription("Pause before the n-th retry of a failed batch is n times this.");

    public static final ConfigOption<String> GPU_RESOURCE = ConfigOptions.key("hrlf.scoring.gpu-resource")
            .stringType()
            .noDefaultValue()
            .withDescription("Name of the Flink external resource that is a GPU (e.g. 'gpu', as in "
                    + "'external-resources: gpu'). When set, the scorer runs in its own slot-sharing group that asks "
                    + "for one unit of it, so it is only placed on GPU task managers, and each scorer pins TensorFlow "
                    + "to the GPU index Flink gave its slot. Unset: the scorer shares slots and TensorFlow picks the "
                    + "device. Flink 2.x always honours the group's resource profile (fine-grained resource "
                    + "management has no switch any more).");

    public static final ConfigOption<Integer> PARALLELISM = ConfigOptions.key("hrlf.scoring.parallelism")
            .intType()
            .noDefaultValue()
            .withDescription("Parallelism of the scorer alone (unset: the job's parallelism). With a GPU resource "
                    + "each subtask holds one GPU, so set it to the GPUs the cluster offers. When set, windows reach "
                    + "the scorer and scores leave it partitioned by participant, so a participant's scores keep "
                    + "their order.");

    public static final ConfigOption<String> SLOT_SHARING_GROUP = ConfigOptions.key("hrlf.scoring.slot-sharing-group")
            .stringType()
            .defaultValue("hrlf-scoring")
            .withDescription("Slot-sharing group of the scorer when hrlf.scoring.gpu-resource is set.");

    public static final ConfigOption<Double> SLOT_CPU_CORES = ConfigOptions.key("hrlf.scoring.slot.cpu-cores")
            .doubleType()
            .defaultValue(1.0)
            .withDescription("CPU cores the scorer's slot asks for when hrlf.scoring.gpu-resource is set.");

    public static final ConfigOption<MemorySize> SLOT_TASK_HEAP = ConfigOptions.key("hrlf.scoring.slot.task-heap")
            .memoryType()
            .defaultValue(MemorySize.ofMebiBytes(512))
            .withDescription("Task heap the scorer's slot asks for when hrlf.scoring.gpu-resource is set.");

    public static final ConfigOption<MemorySize> SLOT_TASK_OFF_HEAP = ConfigOptions.key("hrlf.scoring.slot.task-off-heap")
            .memoryType()
            .defaultValue(MemorySize.ofMebiBytes(1024))
            .withDescription("Task off-heap memory the scorer's slot asks for when hrlf.scoring.gpu-resource is set: "
                    + "TensorFlow's native host memory (the session, its buffers, the input tensors).");

    private ScoringOptions() {}
}
