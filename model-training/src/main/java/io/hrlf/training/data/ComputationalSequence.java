package io.hrlf.training.data;

import java.util.Map;

/**
 * One CMU-MultimodalSDK computational sequence: per video the feature rows and their [start, end)
 * intervals in seconds, plus the sequence's metadata (JSON strings).
 */
public record ComputationalSequence(String root, Map<String, Entry> videos, Map<String, String> metadata) {

    /** @param intervals n x 2 start/end seconds @param features n x d */
    public record Entry(double[][] intervals, float[][] features) {
        public int dimension() {
            return features.length == 0 ? 0 : features[0].length;
        }
    }

    /** Feature dimension, taken from the first non-empty video. */
    public int dimension() {
        for (Entry e : videos.values()) {
            if (e.features().length > 0) {
                return e.dimension();
            }
        }
        throw new IllegalStateException("computational sequence '" + root + "' holds no features");
    }
}
