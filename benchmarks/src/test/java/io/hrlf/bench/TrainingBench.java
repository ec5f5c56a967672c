package io.hrlf.bench;

import io.hrlf.eval.SentimentMetrics;
import io.hrlf.training.data.CsdDatasetLoader;
import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.training.data.VideoSplit;
import io.hrlf.training.train.HrlfTrainer;
import io.hrlf.training.train.TrainedModel;
import io.hrlf.training.train.TrainingListener;
import io.hrlf.training.train.TrainingOptions;
import io.hrlf.training.train.Variant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Section 5: seconds per epoch of the teacher and the student on the MOSI training split, with the
 * project's default training options, and the process's peak RSS while training. The baseline in the
 * same run is the {@code plain} variant (the student network alone on complete data: no teacher, no
 * FRF, HMI, HAL or distillation), so the ratio is what HRLF's extra objectives cost per epoch.
 * Skipped, and reported as not measured, when ../shared/data is absent.
 */
final class TrainingBench {
    private TrainingBench() {}

    /**
     * Wall time of each epoch: from the end of the previous epoch (or the start of training) to the
     * end of this one, so it includes the epoch's validation pass; the first epoch of a phase also
     * carries the phase's set-up (graph building, the teacher's freezing) and is reported apart.
     */
    private static final class EpochClock implements TrainingListener {
        final Map<String, List<Double>> secondsByPhase = new LinkedHashMap<>();
        private long lastMarkNanos = System.nanoTime();

        @Override
        public void onEpoch(String phase, int epoch, int epochs, double trainLoss, SentimentMetrics.Metrics validation) {
            long now = System.nanoTime();
            secondsByPhase.computeIfAbsent(phase, p -> new ArrayList<>()).add((now - lastMarkNanos) / 1e9);
            lastMarkNanos = now;
        }
    }

    static void run(BenchConfig config, BenchReport report) throws Exception {
        if (!config.mosiPresent()) {
            report.notMeasured("training", "CMU-MOSI data not found under " + config.mosiDir()
                    + " (set -Dhrlf.shared.data=DIR); the data is research-use and not in the repository");
            return;
        }
        Path dir = config.mosiDir();
        MultimodalDataset data = CsdDatasetLoader.load(dir.resolve("CMU_MOSI_bcLSTM_Text.csd"),
                dir.resolve("CMU_MOSI_bcLSTM_Audio.csd"), dir.resolve("CMU_MOSI_bcLSTM_Visual.csd"),
                dir.resolve("CMU_MOSI_Opinion_Labels.csd"), 1);
        VideoSplit split = VideoSplit.of(data, VideoSplit.DEFAULT_VALIDATION_FRACTION, VideoSplit.DEFAULT_SEED);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("data", "CMU-MOSI utterance-level features (T = 1), training split of " + split.train().size()
                + " segments, validation " + split.validation().size());
        json.put("method", "TrainingOptions.defaults() (teacher " + TrainingOptions.defaults().teacherEpochs()
                + " and student " + TrainingOptions.defaults().studentEpochs() + " epochs, batch "
                + TrainingOptions.defaults().batchSize() + "); an epoch's time includes its validation pass; the first "
                + "epoch of each phase (graph building, warm-up) is reported apart; peak RSS of the benchmark JVM from "
                + "/proc/self/status VmHWM, reset before each variant (this section runs first, before the broker and "
                + "the MiniCluster start, so the JVM holds little else)");
        List<List<Object>> rows = new ArrayList<>();
        Map<String, Double> steadyEpoch = new LinkedHashMap<>();
        for (Variant variant : new Variant[] {Variant.FULL, Variant.PLAIN}) {
            TrainingOptions options = TrainingOptions.defaults().withVariant(variant);
            boolean peakReset = ProcessMemory.resetPeakRss();
            long started = System.nanoTime();
            EpochClock clock = new EpochClock();
            try (TrainedModel ignored = HrlfTrainer.train(split.train(), split.validation(), options, clock)) {
                double total = (System.nanoTime() - started) / 1e9;
                long peakRssMb = ProcessMemory.peakRssKb() / 1024;
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("total_s", Stats.round(total));
                v.put("peak_rss_mb", peakRssMb);
                v.put("peak_rss_since", peakReset ? "reset before this variant" : "JVM start (reset unsupported)");
                for (Map.Entry<String, List<Double>> phase : clock.secondsByPhase.entrySet()) {
                    double[] all = phase.getValue().stream().mapToDouble(Double::doubleValue).toArray();
                    double[] steady = java.util.Arrays.copyOfRange(all, Math.min(1, all.length), all.length);
                    Map<String, Object> p = new LinkedHashMap<>();
                    p.put("epochs", all.length);
                    p.put("first_epoch_s", Stats.round(all[0]));
                    p.put("s_per_epoch", steady.length == 0 ? null : Stats.summary(steady));
                    v.put(phase.getKey(), p);
                    double median = steady.length == 0 ? all[0] : Stats.median(steady);
                    steadyEpoch.put(variant.cliName() + "/" + phase.getKey(), median);
                    rows.add(List.of(variant.cliName(), phase.getKey(), all.length, all[0],
                            steady.length == 0 ? "—" : BenchReport.spread(steady), total, peakRssMb));
                }
                json.put(variant.cliName(), v);
            }
        }
        Double fullStudent = steadyEpoch.get("full/student");
        Double plainStudent = steadyEpoch.get("plain/student");
        if (fullStudent != null && plainStudent != null) {
            json.put("full_student_vs_plain_epoch", Stats.round(fullStudent / plainStudent));
        }
        Double teacher = steadyEpoch.get("full/teacher");
        if (teacher != null && fullStudent != null) {
            // the headline: one epoch of the full method = one teacher epoch plus one student epoch
            report.headline("train_s_per_epoch", Stats.round(teacher + fullStudent));
        }
        report.section("training", json);
        report.table(BenchReport.markdown("5. Training on CMU-MOSI (this machine, TensorFlow Java on CPU)",
                "Default options; seconds per epoch: median (min–max) of the epochs after the first. `plain` is the "
                        + "baseline of the same run: the student network alone on complete data."
                        + (fullStudent != null && plainStudent != null ? " A `full` student epoch costs **"
                        + BenchReport.format(fullStudent / plainStudent) + "x** a `plain` one." : ""),
                List.of("variant", "phase", "epochs", "first epoch s", "s per epoch", "variant total s", "peak RSS MB"),
                rows));
    }
}
