package io.hrlf.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's resident memory, from /proc/self/status (Linux): RSS covers TensorFlow's native
 * memory and the broker's buffers, which no Java API reports. Used by the benchmarks and the soak.
 */
public final class ProcessMemory {
    private ProcessMemory() {}

    /** Current resident set size in KiB. */
    public static long rssKb() throws IOException {
        return statusField("VmRSS:");
    }

    /** Peak resident set size (VmHWM) in KiB, since the process started or the last {@link #resetPeakRss()}. */
    public static long peakRssKb() throws IOException {
        return statusField("VmHWM:");
    }

    /** Resets VmHWM to the current RSS (Linux 4.0+: writing 5 to clear_refs); false where not allowed. */
    public static boolean resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static long statusField(String name) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(name)) {
                return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
            }
        }
        throw new IOException(name + " not in /proc/self/status");
    }
}
