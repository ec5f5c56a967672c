package io.hrlf.scoring;

import io.hrlf.model.ComputeDevice;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.apache.flink.api.common.operators.SlotSharingGroup;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Where the scorer runs. On CPU (no {@link ScoringOptions#GPU_RESOURCE}) it shares slots with the
 * rest of the job. With a GPU resource it gets its own slot-sharing group asking for one unit of
 * that external resource, so the fine-grained resource manager only places it on task managers that
 * declare GPUs, and the GPU index that Flink's GPU plugin assigned to the slot pins the session.
 */
final class ScorerPlacement {
    /** The property under which Flink's GPU plugin ({@code GPUInfo}) publishes the device index. */
    static final String GPU_INDEX_PROPERTY = "index";

    private ScorerPlacement() {}

    /** The scorer's slot-sharing group, or empty when it should share slots with everything else. */
    static Optional<SlotSharingGroup> slotSharingGroup(ReadableConfig config) {
        return config.getOptional(ScoringOptions.GPU_RESOURCE).map(gpu -> SlotSharingGroup
                .newBuilder(config.get(ScoringOptions.SLOT_SHARING_GROUP))
                .setCpuCores(config.get(ScoringOptions.SLOT_CPU_CORES))
                .setTaskHeapMemory(config.get(ScoringOptions.SLOT_TASK_HEAP))
                .setTaskOffHeapMemory(config.get(ScoringOptions.SLOT_TASK_OFF_HEAP))
                .setExternalResource(gpu, 1)
                .build());
    }

    /**
     * The device for a scorer subtask, from the external resources of its slot ({@code
     * RuntimeContext#getExternalResourceInfos}); CPU when no GPU resource is configured.
     *
     * @throws IllegalStateException when a GPU was asked for but the slot has none with an index,
     *     which means the task manager's external-resource configuration is wrong
     */
    static ComputeDevice device(String gpuResource, Set<ExternalResourceInfo> slotResources) {
        if (gpuResource == null) {
            return ComputeDevice.CPU;
        }
        for (ExternalResourceInfo info : slotResources) {
            Optional<String> index = info.getProperty(GPU_INDEX_PROPERTY);
            if (index.isPresent()) {
                try {
                    return ComputeDevice.gpu(Integer.parseInt(index.get().trim()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("external resource '" + gpuResource + "' reports GPU index '"
                            + index.get() + "', not a non-negative integer", e);
                }
            }
        }
        throw new IllegalStateException("the scorer asks for external resource '" + gpuResource + "' ("
                + ScoringOptions.GPU_RESOURCE.key() + ") but its slot has no GPU with an '" + GPU_INDEX_PROPERTY
                + "'; check external-resources, external-resource." + gpuResource + ".amount and its driver "
                + "factory on the GPU task managers");
    }
}
