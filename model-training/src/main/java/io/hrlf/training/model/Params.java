package io.hrlf.training.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** A named group of trainable variables that one optimizer owns (teacher, student, discriminators). */
public final class Params {
    private final String name;
    private final List<Variable<TFloat32>> variables = new ArrayList<>();
    private final List<Variable<TFloat32>> weightMatrices = new ArrayList<>();

    public Params(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    void add(Variable<TFloat32> variable) {
        variables.add(variable);
    }

    /** A dense layer's weight matrix: a variable that weight decay applies to (biases and norms are exempt). */
    void addWeightMatrix(Variable<TFloat32> variable) {
        weightMatrices.add(variable);
    }

    public List<Variable<TFloat32>> weightMatrices() {
        return List.copyOf(weightMatrices);
    }

    public List<Variable<TFloat32>> variables() {
        return List.copyOf(variables);
    }
}
