package io.hrlf.model;

import java.util.Arrays;

/**
 * What a model with context returns for a batch: a score per row and each row's representation
 * (d_c floats) to remember as context for the participant's later windows.
 */
public record ContextScores(float[] scores, float[] representations, int dimension) {

    /** Row {@code row}'s representation, a copy. */
    public float[] representation(int row) {
        return Arrays.copyOfRange(representations, row * dimension, (row + 1) * dimension);
    }
}
