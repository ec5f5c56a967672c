package io.hrlf.training.data;

import io.hrlf.binning.BinAccumulator;
import io.hrlf.binning.TimeBins;
import io.hrlf.contract.Modality;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Aligns three modality sequences onto the segments of a label sequence: each labelled segment
 * [s, e) becomes one sample whose T steps hold the mean of the modality's frames overlapping each
 * step, through the same {@link TimeBins}/{@link BinAccumulator} code the streaming job uses. A
 * segment with no frame of a modality has that modality missing (mask 0), as in the stream.
 */
public final class CsdDatasetLoader {
    private CsdDatasetLoader() {}

    public static MultimodalDataset load(Path text, Path audio, Path vision, Path labels, int steps) {
        ComputationalSequence[] modalities = {CsdReader.read(text), CsdReader.read(audio), CsdReader.read(vision)};
        ComputationalSequence labelSequence = CsdReader.read(labels);
        return align(modalities, labelSequence, steps, "CMU-MultimodalSDK: " + text.getFileName() + ", "
                + audio.getFileName() + ", " + vision.getFileName() + ", labels " + labels.getFileName() + ", T=" + steps);
    }

    static MultimodalDataset align(ComputationalSequence[] modalities, ComputationalSequence labelSequence, int steps,
                                   String description) {
        int[] dims = new int[3];
        for (Modality m : Modality.ALL) {
            dims[m.ordinal()] = modalities[m.ordinal()].dimension();
        }
        List<float[]> labelList = new ArrayList<>();
        List<MultimodalDataset.Segment> segmentList = new ArrayList<>();
        List<List<float[]>> valueRows = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<List<float[]>> maskRows = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());

        for (Map.Entry<String, ComputationalSequence.Entry> video : labelSequence.videos().entrySet()) {
            ComputationalSequence.Entry segments = video.getValue();
            for (int s = 0; s < segments.intervals().length; s++) {
                double start = segments.intervals()[s][0];
                double end = segments.intervals()[s][1];
                if (!(end > start)) {
                    continue; // a zero-length label segment has no frames to describe it
                }
                TimeBins bins = new TimeBins(start, end, steps);
                for (Modality m : Modality.ALL) {
                    BinAccumulator acc = new BinAccumulator(steps, dims[m.ordinal()]);
                    ComputationalSequence.Entry frames = modalities[m.ordinal()].videos().get(video.getKey());
                    if (frames != null) {
                        for (int f = 0; f < frames.features().length; f++) {
                            acc.add(bins, frames.intervals()[f][0], frames.intervals()[f][1], frames.features()[f], 0);
                        }
                    }
                    float[] values = new float[steps * dims[m.ordinal()]];
                    float[] mask = new float[steps];
                    acc.writeMeans(values, 0);
                    acc.writeMask(mask, 0);
                    valueRows.get(m.ordinal()).add(values);
                    maskRows.get(m.ordinal()).add(mask);
                }
                labelList.add(new float[] {segments.features()[s][0]});
                // the id is the segment's position in its video, as CMU-MOSI's segment ids (and segments.csv) number them
                segmentList.add(new MultimodalDataset.Segment(video.getKey() + "_" + (s + 1), video.getKey(), start, end));
            }
        }
        int n = labelList.size();
        float[][] values = new float[3][];
        float[][] masks = new float[3][];
        for (Modality m : Modality.ALL) {
            int i = m.ordinal();
            values[i] = concat(valueRows.get(i), steps * dims[i]);
            masks[i] = concat(maskRows.get(i), steps);
        }
        float[] labels = new float[n];
        for (int i = 0; i < n; i++) {
            labels[i] = labelList.get(i)[0];
        }
        return new MultimodalDataset(steps, dims, values, masks, labels, segmentList.toArray(MultimodalDataset.Segment[]::new), description);
    }

    private static float[] concat(List<float[]> rows, int width) {
        float[] out = new float[rows.size() * width];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r), 0, out, r * width, width);
        }
        return out;
    }
}
