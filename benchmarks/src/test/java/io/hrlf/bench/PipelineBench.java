package io.hrlf.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Section 2: frames/s and windows/s of the whole job (Kafka -> validation -> windows -> scorer ->
 * Kafka) at parallelism 1 and 2, each against the pass-through job on the same broker and the same
 * records, run right after it; the ratio of the two is the job's efficiency. Section 4: the same
 * measurement for 100 / 1,000 / 10,000 concurrent participants and for three window sizes.
 */
final class PipelineBench {
    private PipelineBench() {}

    /** Median windows/s of the job at parallelism 2: the maximum the latency section takes fractions of. */
    static double run(BenchConfig config, BacklogRuns runs, BenchReport report) throws Exception {
        BacklogRuns.Dataset data = runs.produce(config.pipelineParticipants(), config.pipelineSeconds());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("input", Map.of("participants", data.participants(), "seconds_per_participant", data.seconds(),
                "records", data.records(), "frames", data.frames(), "window_s", 5,
                "frames_per_participant_second", "text 2, audio 10, vision 5"));
        json.put("method", "backlog in 3 topics x 2 partitions; rate = input frames / (broker LogAppendTime of the "
                + "last output record - moment every task runs); exactly-once sinks, checkpoint every " + BacklogRuns.CHECKPOINT_MILLIS + " ms; "
                + "cores busy = process CPU time / wall time over the same span (broker + Flink + TensorFlow, one JVM)");
        List<List<Object>> rows = new ArrayList<>();
        double maxWindowsPerSecond = Double.NaN;
        // one discarded pair of runs: the first job in a fresh JVM runs interpreted and cold
        BacklogRuns.Result warmJob = runs.hrlfJob(data, 2, 5);
        BacklogRuns.Result warmPass = runs.passThrough(data, 2);
        System.out.printf("pipeline warm-up (discarded): job %.0f frames/s, pass-through %.0f frames/s%n",
                warmJob.framesPerSecond(), warmPass.framesPerSecond());
        for (int parallelism : new int[] {1, 2}) {
            double[] jobFrames = new double[config.pipelineRepeats()];
            double[] jobWindows = new double[config.pipelineRepeats()];
            double[] passFrames = new double[config.pipelineRepeats()];
            double[] ratio = new double[config.pipelineRepeats()];
            double[] perCore = new double[config.pipelineRepeats()];
            double[] passPerCore = new double[config.pipelineRepeats()];
            long scored = 0;
            long expected = 0;
            for (int r = 0; r < config.pipelineRepeats(); r++) {
                BacklogRuns.Result job = runs.hrlfJob(data, parallelism, 5);
                BacklogRuns.Result pass = runs.passThrough(data, parallelism);
                jobFrames[r] = job.framesPerSecond();
                jobWindows[r] = job.outputPerSecond();
                passFrames[r] = pass.framesPerSecond();
                ratio[r] = job.framesPerSecond() / pass.framesPerSecond();
                perCore[r] = job.framesPerCoreSecond();
                passPerCore[r] = pass.framesPerCoreSecond();
                scored = job.received();
                expected = job.expected();
                System.out.printf("pipeline p=%d run %d: job %.0f frames/s (%.0f windows/s, %.2f cores, %d/%d scored), "
                                + "pass-through %.0f frames/s (%.2f cores)%n", parallelism, r + 1, job.framesPerSecond(),
                        job.outputPerSecond(), job.coresBusy(), job.received(), job.expected(), pass.framesPerSecond(),
                        pass.coresBusy());
            }
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("job_frames_per_s", Stats.summary(jobFrames));
            p.put("job_windows_per_s", Stats.summary(jobWindows));
            p.put("job_frames_per_s_per_core", Stats.summary(perCore));
            p.put("passthrough_frames_per_s", Stats.summary(passFrames));
            p.put("passthrough_frames_per_s_per_core", Stats.summary(passPerCore));
            p.put("pipeline_vs_passthrough", Stats.summary(ratio));
            p.put("windows_scored_last_run", scored + " of " + expected);
            json.put("parallelism_" + parallelism, p);
            rows.add(List.of(parallelism, BenchReport.spread(jobFrames), BenchReport.spread(jobWindows),
                    BenchReport.spread(perCore), BenchReport.spread(passFrames), BenchReport.spread(passPerCore),
                    BenchReport.spread(ratio)));
            if (parallelism == 2) {
                report.headline("pipeline_vs_passthrough", Stats.round(Stats.median(ratio)));
                report.headline("frames_per_s_per_core", Stats.round(Stats.median(perCore)));
                maxWindowsPerSecond = Stats.median(jobWindows);
            }
        }
        report.section("pipeline", json);
        report.table(BenchReport.markdown("2. Pipeline throughput (embedded Kafka + MiniCluster)",
                data.participants() + " participants x " + data.seconds() + " s (" + data.records() + " records, "
                        + data.frames() + " frames), 5 s windows; median (min–max) of " + config.pipelineRepeats()
                        + " runs. Per core = per CPU-second the whole JVM (broker + Flink + TensorFlow) used.",
                List.of("parallelism", "job frames/s", "job windows/s", "job frames/s per core",
                        "pass-through frames/s", "pass-through frames/s per core", "job / pass-through"), rows));
        return maxWindowsPerSecond;
    }

    static void scaling(BenchConfig config, BacklogRuns runs, BenchReport report) throws Exception {
        Map<String, Object> json = new LinkedHashMap<>();
        List<List<Object>> rows = new ArrayList<>();
        Map<String, Object> byKeys = new LinkedHashMap<>();
        for (int participants : config.scalingParticipants()) {
            BacklogRuns.Dataset data = runs.produce(participants, config.scalingSeconds(participants));
            BacklogRuns.Result r = runs.hrlfJob(data, 2, 5);
            byKeys.put(String.valueOf(participants), scalingRow(r, participants));
            rows.add(List.of(participants + " participants", "5 s", data.seconds() + " s", r.framesPerSecond(), r.outputPerSecond(),
                    r.peakHeapMb(), r.stateBytes() < 0 ? "no checkpoint completed" : BenchReport.format(r.stateBytes() / 1024.0),
                    r.stateBytes() < 0 ? "—" : BenchReport.format((double) r.stateBytes() / participants),
                    r.received() + "/" + r.expected()));
        }
        json.put("by_participants", byKeys);
        Map<String, Object> byWindow = new LinkedHashMap<>();
        BacklogRuns.Dataset data = runs.produce(config.pipelineParticipants(), config.pipelineSeconds());
        for (double windowSeconds : config.windowSizesSeconds()) {
            BacklogRuns.Result r = runs.hrlfJob(data, 2, windowSeconds);
            byWindow.put(windowSeconds + "s", scalingRow(r, data.participants()));
            rows.add(List.of(data.participants() + " participants", windowSeconds + " s", data.seconds() + " s", r.framesPerSecond(),
                    r.outputPerSecond(), r.peakHeapMb(),
                    r.stateBytes() < 0 ? "no checkpoint completed" : BenchReport.format(r.stateBytes() / 1024.0),
                    r.stateBytes() < 0 ? "—" : BenchReport.format((double) r.stateBytes() / data.participants()),
                    r.received() + "/" + r.expected()));
        }
        json.put("by_window_size_" + data.participants() + "_participants", byWindow);
        json.put("state_note", "largest completed checkpoint of the vertex holding the window assembler (its "
                + "MapState of open windows; the chained async scorer's in-flight windows too), over the checkpoint "
                + "history Flink keeps; heap = peak used heap of the whole JVM during the run");
        report.section("scaling", json);
        report.table(BenchReport.markdown("4. Scaling with participants and window size (parallelism 2, one run each)",
                "About " + config.scalingParticipantSeconds() + " participant-seconds of input per participant-count run "
                        + "(5 to 120 s each). The input is a backlog, so many windows are open at once while the job "
                        + "catches up: state per participant is that of a replay, larger than live. State = largest "
                        + "checkpointed state of the window-assembler vertex; heap = peak heap of the whole JVM.",
                List.of("keys", "window", "data per participant", "frames/s", "windows/s", "peak heap MB", "state KiB", "state bytes / participant",
                        "windows scored"), rows));
    }

    private static Map<String, Object> scalingRow(BacklogRuns.Result r, int participants) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("frames_per_s", Stats.round(r.framesPerSecond()));
        row.put("windows_per_s", Stats.round(r.outputPerSecond()));
        row.put("cores_busy", Stats.round(r.coresBusy()));
        row.put("peak_heap_mb", Stats.round(r.peakHeapMb()));
        row.put("checkpointed_state_bytes", r.stateBytes());
        row.put("state_bytes_per_participant", r.stateBytes() < 0 ? null : Stats.round((double) r.stateBytes() / participants));
        row.put("windows_scored", r.received() + " of " + r.expected());
        return row;
    }
}
