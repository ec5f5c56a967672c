package io.hrlf.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.hrlf.contract.Modality;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsdDatasetLoaderTest {

    /** Writes a computational sequence with the SDK's layout: root/data/video/{features,intervals}. */
    private static Path writeCsd(Path dir, String name, String video, double[][] intervals, float[][] features) {
        Path file = dir.resolve(name + ".csd");
        try (WritableHdfFile hdf = HdfFile.write(file)) {
            WritableGroup videoGroup = hdf.putGroup(name).putGroup("data").putGroup(video);
            videoGroup.putDataset("features", features);
            videoGroup.putDataset("intervals", intervals);
        }
        return file;
    }

    @Test
    void alignsFramesOntoLabelSegmentsWithTheSharedBinning(@TempDir Path dir) {
        // one labelled segment [0, 2) cut into T=2 steps of one second
        Path labels = writeCsd(dir, "labels", "v1", new double[][] {{0, 2}, {2, 4}}, new float[][] {{1.5f}, {-2f}});
        // text: frames in both halves of the first segment, none in the second
        Path text = writeCsd(dir, "text", "v1", new double[][] {{0, 0.5}, {0.5, 1}, {1, 2}},
                new float[][] {{1, 2}, {3, 4}, {5, 6}});
        // audio: one frame spanning both segments' boundary region
        Path audio = writeCsd(dir, "audio", "v1", new double[][] {{1.5, 2.5}}, new float[][] {{7}});
        // vision: a frame for another video only
        Path vision = writeCsd(dir, "vision", "other", new double[][] {{0, 4}}, new float[][] {{9, 9, 9}});

        MultimodalDataset data = CsdDatasetLoader.load(text, audio, vision, labels, 2);
        assertThat(data.size()).isEqualTo(2);
        assertThat(data.dims()).containsExactly(2, 1, 3);
        assertThat(data.labels()).containsExactly(1.5f, -2f);
        assertThat(data.videoIds()).containsExactly("v1", "v1");
        assertThat(data.segments()).containsExactly(new MultimodalDataset.Segment("v1_1", "v1", 0, 2),
                new MultimodalDataset.Segment("v1_2", "v1", 2, 4));
        // segment 0, text: step 0 = mean of frames 0 and 1, step 1 = frame 2
        assertThat(java.util.Arrays.copyOfRange(data.values(Modality.TEXT), 0, 4)).containsExactly(2, 3, 5, 6);
        assertThat(java.util.Arrays.copyOfRange(data.masks(Modality.TEXT), 0, 4)).containsExactly(1, 1, 0, 0);
        // audio frame [1.5, 2.5) touches step 1 of segment 0 and step 0 of segment 1
        assertThat(data.masks(Modality.AUDIO)).containsExactly(0, 1, 1, 0);
        assertThat(data.values(Modality.AUDIO)).containsExactly(0, 7, 7, 0);
        // no vision for this video: missing everywhere
        assertThat(data.masks(Modality.VISION)).containsOnly(0f);
    }

    @Test
    void namesTheFileAndPathOfWhatIsMissing(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> CsdReader.read(dir.resolve("nope.csd"))).hasMessageContaining("nope.csd");
        Path noData = dir.resolve("empty.csd");
        try (WritableHdfFile hdf = HdfFile.write(noData)) {
            hdf.putGroup("root").putGroup("metadata");
        }
        assertThatThrownBy(() -> CsdReader.read(noData)).hasMessageContaining("root/data");
    }

    @Test
    void readsTheRealMosiTrainingData() {
        String shared = System.getProperty("hrlf.shared.data", "../../shared/data");
        Path mosi = Path.of(shared, "cmu-mosi", "train");
        assumeThat(Files.isDirectory(mosi)).as("CMU-MOSI data not found at %s; skipping the real-data test", mosi)
                .isTrue();
        MultimodalDataset data = CsdDatasetLoader.load(mosi.resolve("CMU_MOSI_bcLSTM_Text.csd"),
                mosi.resolve("CMU_MOSI_bcLSTM_Audio.csd"), mosi.resolve("CMU_MOSI_bcLSTM_Visual.csd"),
                mosi.resolve("CMU_MOSI_Opinion_Labels.csd"), 1);
        assertThat(data.size()).isEqualTo(1447);
        assertThat(new HashSet<>(List.of(data.videoIds()))).hasSize(62);
        assertThat(data.dims()).containsExactly(100, 73, 100);
        for (float label : data.labels()) {
            assertThat(label).isBetween(-3f, 3f);
        }
        for (Modality m : Modality.ALL) {
            assertThat(data.masks(m)).as(m.inputName()).containsOnly(1f);
        }
        VideoSplit split = VideoSplit.of(data, 0.2, VideoSplit.DEFAULT_SEED);
        Set<String> trainVideos = new HashSet<>(List.of(split.train().videoIds()));
        assertThat(trainVideos).doesNotContainAnyElementsOf(split.validationVideos());
        assertThat(split.train().size() + split.validation().size()).isEqualTo(1447);
        assertThat(VideoSplit.of(data, 0.2, VideoSplit.DEFAULT_SEED).validationVideos())
                .isEqualTo(split.validationVideos());
    }
}
