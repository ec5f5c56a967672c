package io.hrlf.training.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.hrlf.contract.MissingPattern;
import io.hrlf.contract.Modality;
import io.hrlf.training.data.MultimodalDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One row per segment and condition, with the segment's origin, the score of that condition and the label. */
class PredictionsCsvTest {
    private static final int[] DIMS = {2, 1, 1};

    /** Scores each row by which modalities it still has: text 100, audio 10, vision 1, plus the row index. */
    private static float[] presenceCode(MultimodalDataset data) {
        float[] out = new float[data.size()];
        for (int i = 0; i < data.size(); i++) {
            out[i] = 100 * data.masks(Modality.TEXT)[i] + 10 * data.masks(Modality.AUDIO)[i]
                    + data.masks(Modality.VISION)[i] + i / 1000f;
        }
        return out;
    }

    @Test
    void writesEverySegmentUnderEveryCondition(@TempDir Path dir) throws Exception {
        MultimodalDataset.Segment[] segments = {
            new MultimodalDataset.Segment("vidA_1", "vidA", 1.5, 3.25),
            new MultimodalDataset.Segment("vidB_7", "vidB", 10, 12.125)};
        float[][] values = {new float[4], new float[2], new float[2]};
        float[][] masks = {new float[] {1, 1}, new float[] {1, 1}, new float[] {1, 1}};
        MultimodalDataset data = new MultimodalDataset(1, DIMS, values, masks, new float[] {0.5f, -2f}, segments, "test");

        Path file = dir.resolve("predictions.csv");
        PredictionsCsv.write(PredictionsCsvTest::presenceCode, data, file);

        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0)).isEqualTo("segment_id,video,start,end,condition,score,label");
        assertThat(lines).hasSize(1 + 2 * MissingPattern.EVERY_NON_EMPTY.size());
        assertThat(lines).contains(
                "vidA_1,vidA,1.500,3.250,\"l,a,v\",111.0,0.5",
                "vidB_7,vidB,10.000,12.125,\"l,a,v\",111.001,-2.0",
                "vidA_1,vidA,1.500,3.250,l,100.0,0.5",
                "vidB_7,vidB,10.000,12.125,\"a,v\",11.001,-2.0");
    }

    @Test
    void quotesOnlyFieldsThatNeedIt() {
        assertThat(PredictionsCsv.field("abc")).isEqualTo("abc");
        assertThat(PredictionsCsv.field("a,b")).isEqualTo("\"a,b\"");
        assertThat(PredictionsCsv.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    }
}
