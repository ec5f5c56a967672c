package io.hrlf.training.eval;

import io.hrlf.contract.MissingPattern;
import io.hrlf.eval.SentimentMetrics;
import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.training.missing.MissingnessProtocol;
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
        return new EvaluationReport(conditions, avg, frameMissing);
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
