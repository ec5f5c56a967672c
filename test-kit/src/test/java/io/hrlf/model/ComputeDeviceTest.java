package io.hrlf.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.hrlf.contract.Modality;
import io.hrlf.model.testing.TinyContractModel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.ConfigProto;

/**
 * The GPU placement is configured here and exercised on CPU only: no GPU is reachable from the
 * machines this suite runs on, so that the pinned session actually runs on the card is unverified.
 */
class ComputeDeviceTest {
    private static final int STEPS = 2;
    private static final int[] DIMS = {3, 2, 2};

    @TempDir
    Path tmp;

    @Test
    void cpuKeepsTensorFlowsDefaultConfiguration() {
        assertThat(ComputeDevice.CPU.sessionConfig()).isNull();
    }

    @Test
    void gpuPinsTheSessionToItsCardAndGrowsMemoryOnDemand() {
        ConfigProto config = ComputeDevice.gpu(3).sessionConfig();
        assertThat(config.getGpuOptions().getVisibleDeviceList()).isEqualTo("3");
        assertThat(config.getGpuOptions().getAllowGrowth()).isTrue();
        assertThat(config.getAllowSoftPlacement()).isTrue();
    }

    @Test
    void refusesANegativeIndex() {
        assertThatThrownBy(() -> ComputeDevice.gpu(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aGpuPinnedSessionLoadsAndScoresTheSameOnACpuBuild() throws Exception {
        Path dir = tmp.resolve("model");
        TinyContractModel.export(dir, STEPS, DIMS, "tiny-gpu");
        ModelInput input = new ModelInput(1, STEPS, DIMS);
        for (Modality m : Modality.ALL) {
            int d = DIMS[m.ordinal()];
            float[] values = new float[STEPS * d];
            for (int i = 0; i < values.length; i++) {
                values[i] = 0.1f * (i + 1) * (m.ordinal() + 1);
            }
            input.setRow(0, m, values, new float[] {1f, m == Modality.VISION ? 0f : 1f});
        }
        try (SentimentModel cpu = SentimentModel.load(dir, STEPS, DIMS, ComputeDevice.CPU);
             SentimentModel pinned = SentimentModel.load(dir, STEPS, DIMS, ComputeDevice.gpu(0))) {
            assertThat(pinned.predict(input)[0]).isCloseTo(cpu.predict(input)[0], within(1e-6f));
        }
    }

    @Test
    void sharedModelsKeepOneSessionPerDevice() throws Exception {
        Path dir = tmp.resolve("shared");
        TinyContractModel.export(dir, STEPS, DIMS, "tiny-shared");
        try (SharedModels.Lease onCpu = SharedModels.acquire(dir, STEPS, DIMS, ComputeDevice.CPU);
             SharedModels.Lease onGpu0 = SharedModels.acquire(dir, STEPS, DIMS, ComputeDevice.gpu(0));
             SharedModels.Lease againOnGpu0 = SharedModels.acquire(dir, STEPS, DIMS, ComputeDevice.gpu(0))) {
            assertThat(onGpu0.model()).isSameAs(againOnGpu0.model()).isNotSameAs(onCpu.model());
            assertThat(SharedModels.users(dir)).isEqualTo(3);
        }
        assertThat(SharedModels.users(dir)).isZero();
    }
}
