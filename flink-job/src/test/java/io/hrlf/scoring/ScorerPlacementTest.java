package io.hrlf.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hrlf.model.ComputeDevice;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.apache.flink.api.common.operators.SlotSharingGroup;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.junit.jupiter.api.Test;

/** The GPU placement as Flink sees it; whether a real card then runs the session is unverified here. */
class ScorerPlacementTest {

    @Test
    void onCpuTheScorerSharesSlotsAndTensorFlowPlacesTheSession() {
        assertThat(ScorerPlacement.slotSharingGroup(new Configuration())).isEmpty();
        assertThat(ScorerPlacement.device(null, Set.of())).isEqualTo(ComputeDevice.CPU);
    }

    @Test
    void aGpuResourceGivesTheScorerItsOwnSlotSharingGroupAskingForOneGpu() {
        Configuration config = new Configuration();
        config.set(ScoringOptions.GPU_RESOURCE, "gpu");
        SlotSharingGroup group = ScorerPlacement.slotSharingGroup(config).orElseThrow();
        assertThat(group.getName()).isEqualTo(ScoringOptions.SLOT_SHARING_GROUP.defaultValue());
        assertThat(group.getExternalResources()).containsExactlyEntriesOf(Map.of("gpu", 1.0));
        assertThat(group.getCpuCores()).contains(ScoringOptions.SLOT_CPU_CORES.defaultValue());
        assertThat(group.getTaskHeapMemory()).contains(ScoringOptions.SLOT_TASK_HEAP.defaultValue());
        assertThat(group.getTaskOffHeapMemory()).contains(MemorySize.ofMebiBytes(1024));
    }

    @Test
    void theSlotsGpuIndexPinsTheSession() {
        assertThat(ScorerPlacement.device("gpu", Set.of(gpuInfo("2")))).isEqualTo(ComputeDevice.gpu(2));
    }

    @Test
    void aSlotWithoutAGpuIsAConfigurationErrorThatSaysWhatToCheck() {
        assertThatThrownBy(() -> ScorerPlacement.device("gpu", Set.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("external-resource.gpu.amount");
        assertThatThrownBy(() -> ScorerPlacement.device("gpu", Set.of(gpuInfo("first"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'first'");
    }

    /** What Flink's GPU plugin (GPUInfo) publishes for a slot's card. */
    private static ExternalResourceInfo gpuInfo(String index) {
        return new ExternalResourceInfo() {
            @Override
            public Optional<String> getProperty(String key) {
                return ScorerPlacement.GPU_INDEX_PROPERTY.equals(key) ? Optional.of(index) : Optional.empty();
            }

            @Override
            public Collection<String> getKeys() {
                return Set.of(ScorerPlacement.GPU_INDEX_PROPERTY);
            }
        };
    }
}
