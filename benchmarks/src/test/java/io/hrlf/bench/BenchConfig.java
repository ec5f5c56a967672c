package io.hrlf.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sizes of one benchmark run. {@code -Dbench.quick=true} (a few minutes) shrinks every section;
 * the full run keeps to about 20 minutes on the project's 2-core machine.
 */
record BenchConfig(boolean quick, Path outDir, Path mosiDir,
                   int jmhWarmups, int jmhIterations, int jmhIterationMillis,
                   int pipelineRepeats, int pipelineParticipants, int pipelineSeconds,
                   int latencySeconds, int[] scalingParticipants, int scalingParticipantSeconds, double[] windowSizesSeconds,
                   int trainingEpochs) {

    static BenchConfig fromSystemProperties() {
        boolean quick = Boolean.parseBoolean(System.getProperty("bench.quick", "false"));
        Path out = Path.of(System.getProperty("bench.out", "target/bench"));
        Path mosi = Path.of(System.getProperty("hrlf.shared.data", "../../shared/data"), "cmu-mosi", "train");
        if (quick) {
            return new BenchConfig(true, out, mosi, 2, 4, 1000,
                    2, 400, 30,
                    15, new int[] {100, 1_000, 10_000}, 12_000, new double[] {2.5, 5, 10},
                    2);
        }
        return new BenchConfig(false, out, mosi, 3, 8, 2000,
                3, 1_000, 30,
                30, new int[] {100, 1_000, 10_000}, 30_000, new double[] {2.5, 5, 10},
                4);
    }

    /**
     * Seconds of data per participant in a scaling run: about the same total input for every
     * participant count (so the runs are comparable), at least one 5 s window and at most two minutes.
     */
    int scalingSeconds(int participants) {
        int seconds = scalingParticipantSeconds / participants;
        return Math.max(5, Math.min(120, seconds / 5 * 5));
    }

    boolean mosiPresent() {
        return Files.isRegularFile(mosiDir.resolve("CMU_MOSI_bcLSTM_Text.csd"));
    }
}
