package io.hrlf.training.eval;

import io.hrlf.contract.MissingPattern;
import io.hrlf.eval.SentimentMetrics;
import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.training.missing.MissingnessProtocol;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The robustness evaluation of the paper: the complete condition, the six inter-modality conditions
 * (only the named modalities kept) and intra-modality frame dropping at rates 0.1..0.9, with the
 * metrics of {@link SentimentMetrics}.
 */
public final class Evaluator {
    public static final double[] FRAME_MISSING_RATES = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};

    private Evaluator() {}

    public static EvaluationReport evaluate(Predictor predictor, MultimodalDataset data, long seed) {
        Map<String, SentimentMetrics.Metrics> conditions = new LinkedHashMap<>();
        for (MissingPattern condition : MissingPattern.EVERY_NON_EMPTY) {
            conditions.put(condition.code(), metrics(predictor, condition(data, condition)));
        }
        double avg = MissingPattern.PAPER_MISSING_CONDITIONS.stream().mapToDouble(c -> conditions.get(c.code()).f1())
                .average().orElseThrow();
        Map<String, SentimentMetrics.Metrics> frameMissing = new LinkedHashMap<>();
        for (int i = 0; i < FRAME_MISSING_RATES.length; i++) {
            double rate = FRAME_MISSING_RATES[i];
            frameMissing.put(String.valueOf(rate), metrics(predictor, frames(data, rate, seed + i)));
        }
        return new EvaluationReport(conditions, avg, frameMissing, lostMidway(predictor, data));
    }

    /**
     * Issue 14's streaming case: each video's segments in order, the first half (positions below n / 2) with
     * every modality, the rest with only the condition's; metrics over that rest. A model without context scores
     * each segment alone, so for it this is the condition on the second halves; a model with context would carry
     * the first half's modalities into the second.
     */
    public static LostMidway lostMidway(Predictor predictor, MultimodalDataset data) {
        boolean[] secondHalf = secondHalves(data);
        Map<String, SentimentMetrics.Metrics> conditions = new LinkedHashMap<>();
        for (MissingPattern condition : MissingPattern.PAPER_MISSING_CONDITIONS) {
            float[] scores = predictor.predict(lostMidwayInputs(data, condition));
            conditions.put(condition.code(), SentimentMetrics.compute(select(scores, secondHalf),
                    select(data.labels(), secondHalf)));
        }
        double avg = conditions.values().stream().mapToDouble(SentimentMetrics.Metrics::f1).average().orElseThrow();
        return new LostMidway(conditions, avg);
    }

    /** Every video's first half complete, its second half ({@link #secondHalves}) with only the condition's modalities. */
    public static MultimodalDataset lostMidwayInputs(MultimodalDataset data, MissingPattern condition) {
        float[][] values = data.copyValues();
        float[][] masks = data.copyMasks();
        MissingnessProtocol.dropModalities(values, masks, secondHalves(data), data.steps(), data.dims(),
                condition.presenceFlags());
        return data.withInputs(values, masks);
    }

    /** Per row, whether it lies in the second half of its video (rows of a video in time order). */
    public static boolean[] secondHalves(MultimodalDataset data) {
        String[] videos = data.videoIds();
        Map<String, Integer> sizes = new HashMap<>();
        for (String video : videos) {
            sizes.merge(video, 1, Integer::sum);
        }
        Map<String, Integer> seen = new HashMap<>();
        boolean[] second = new boolean[videos.length];
        for (int row = 0; row < videos.length; row++) {
            int position = seen.merge(videos[row], 1, Integer::sum) - 1;
            second[row] = position >= sizes.get(videos[row]) / 2;
        }
        return second;
    }

    public static float[] select(float[] xs, boolean[] keep) {
        int n = 0;
        for (boolean k : keep) {
            n += k ? 1 : 0;
        }
        float[] out = new float[n];
        for (int i = 0, j = 0; i < xs.length; i++) {
            if (keep[i]) {
                out[j++] = xs[i];
            }
        }
        return out;
    }

    /** The dataset with only the modalities of {@code pattern} kept. */
    public static MultimodalDataset condition(MultimodalDataset data, MissingPattern pattern) {
        float[][] values = data.copyValues();
        float[][] masks = data.copyMasks();
        MissingnessProtocol.dropModalities(values, masks, data.size(), data.steps(), data.dims(),
                pattern.presenceFlags());
        return data.withInputs(values, masks);
    }

    public static MultimodalDataset frames(MultimodalDataset data, double rate, long seed) {
        float[][] values = data.copyValues();
        float[][] masks = data.copyMasks();
        MissingnessProtocol.dropFrames(values, masks, data.size(), data.steps(), data.dims(), rate, new Random(seed));
        return data.withInputs(values, masks);
    }

    private static SentimentMetrics.Metrics metrics(Predictor predictor, MultimodalDataset data) {
        return SentimentMetrics.compute(predictor.predict(data), data.labels());
    }
}
