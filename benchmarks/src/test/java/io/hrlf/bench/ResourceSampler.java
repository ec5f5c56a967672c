package io.hrlf.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples this JVM's CPU time and heap every 100 ms while a job runs, so a throughput can be divided
 * by the cores the process actually used (the broker, Flink and TensorFlow all live in it) and the
 * heap peak set against the number of participants.
 */
final class ResourceSampler implements AutoCloseable {
    private record Sample(long wallMillis, long cpuNanos, long heapUsed) {}

    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    ResourceSampler() {
        thread = new Thread(() -> {
            while (running) {
                Sample s = new Sample(System.currentTimeMillis(), os.getProcessCpuTime(),
                        memory.getHeapMemoryUsage().getUsed());
                synchronized (samples) {
                    samples.add(s);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-resource-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /** Average cores busy in [fromMillis, toMillis] (wall clock); NaN without two samples in it. */
    double coresBusy(long fromMillis, long toMillis) {
        Sample first = null;
        Sample last = null;
        synchronized (samples) {
            for (Sample s : samples) {
                if (s.wallMillis() >= fromMillis && first == null) {
                    first = s;
                }
                if (s.wallMillis() <= toMillis) {
                    last = s;
                }
            }
        }
        if (first == null || last == null || last.wallMillis() <= first.wallMillis()) {
            return Double.NaN;
        }
        return (last.cpuNanos() - first.cpuNanos()) / 1e6 / (last.wallMillis() - first.wallMillis());
    }

    long peakHeap() {
        synchronized (samples) {
            return samples.stream().mapToLong(Sample::heapUsed).max().orElse(0);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
