package io.hrlf.model;

import java.util.OptionalInt;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;

/**
 * Where a loaded model runs. {@link #CPU} leaves the choice to TensorFlow (a CPU build has nothing
 * else; a GPU build picks its first GPU). {@link #gpu(int)} pins the session to one GPU, the one a
 * GPU task manager's slot was given by Flink's external-resource framework, and lets memory grow
 * on demand so that several slots can share a card.
 */
public record ComputeDevice(OptionalInt gpuIndex) {
    public static final ComputeDevice CPU = new ComputeDevice(OptionalInt.empty());

    public ComputeDevice {
        if (gpuIndex.isPresent() && gpuIndex.getAsInt() < 0) {
            throw new IllegalArgumentException("GPU index must be >= 0, was " + gpuIndex.getAsInt());
        }
    }

    public static ComputeDevice gpu(int index) {
        return new ComputeDevice(OptionalInt.of(index));
    }

    /** The session configuration for this device, or null to keep TensorFlow's default. */
    ConfigProto sessionConfig() {
        if (gpuIndex.isEmpty()) {
            return null;
        }
        return ConfigProto.newBuilder()
                .setGpuOptions(GPUOptions.newBuilder()
                        .setVisibleDeviceList(Integer.toString(gpuIndex.getAsInt()))
                        .setAllowGrowth(true))
                // an op without a GPU kernel falls back to the CPU instead of failing the load
                .setAllowSoftPlacement(true)
                .build();
    }

    @Override
    public String toString() {
        return gpuIndex.isPresent() ? "GPU " + gpuIndex.getAsInt() : "CPU";
    }
}
