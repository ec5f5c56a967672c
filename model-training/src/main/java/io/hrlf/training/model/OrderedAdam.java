package io.hrlf.training.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Adam (TensorFlow's {@code ApplyAdam} kernel, one per variable) whose step counters, the powers
 * beta1^t and beta2^t, advance only after every variable of the group has been updated with them.
 *
 * <p>Why not the framework's {@code Adam} (tensorflow-framework 1.0.0): its {@code finish} assigns
 * the advanced powers with no control dependency on the {@code ApplyAdam} ops that read them, and a
 * ref variable is read when the reading kernel runs. Which updates of a step then see beta^t and which
 * see beta^(t+1) is up to the executor, whose inline-or-queue choice follows kernel costs it measures
 * in CPU cycles, so two runs with the same seed could take different orders on some step (issue 12,
 * item 4: {@code full} MOSI runs identical for many epochs, then one ulp apart, then drifting).
 * TensorFlow's Python Adam orders the same assignments after the updates, as here.
 */
final class OrderedAdam {
    static final float BETA_ONE = 0.9f;
    static final float BETA_TWO = 0.999f;
    static final float EPSILON = 1e-8f;

    private OrderedAdam() {}

    /**
     * The op that applies one Adam step to {@code variables} with {@code gradients} (same order); the
     * beta powers of this group are advanced after all of those updates.
     */
    static Op apply(Ops tf, String name, List<Variable<TFloat32>> variables, List<Operand<TFloat32>> gradients,
                    float learningRate) {
        Ops init = tf.withInitScope();
        Variable<TFloat32> betaOnePower = init.withName(name + "_beta1_power").variable(init.constant(BETA_ONE));
        Variable<TFloat32> betaTwoPower = init.withName(name + "_beta2_power").variable(init.constant(BETA_TWO));
        Operand<TFloat32> lr = tf.constant(learningRate);
        Operand<TFloat32> betaOne = tf.constant(BETA_ONE);
        Operand<TFloat32> betaTwo = tf.constant(BETA_TWO);
        Operand<TFloat32> epsilon = tf.constant(EPSILON);
        List<Op> updates = new ArrayList<>();
        for (int i = 0; i < variables.size(); i++) {
            Variable<TFloat32> variable = variables.get(i);
            Variable<TFloat32> m = zeroSlot(init, variable, "m");
            Variable<TFloat32> v = zeroSlot(init, variable, "v");
            updates.add(tf.withName(name + "_apply_" + i).train.applyAdam(variable, m, v, betaOnePower, betaTwoPower,
                    lr, betaOne, betaTwo, epsilon, gradients.get(i)));
        }
        Ops afterUpdates = tf.withControlDependencies(updates);
        updates.add(afterUpdates.assign(betaOnePower, afterUpdates.math.mul(betaOnePower, betaOne)));
        updates.add(afterUpdates.assign(betaTwoPower, afterUpdates.math.mul(betaTwoPower, betaTwo)));
        return tf.withControlDependencies(updates).withName(name).noOp();
    }

    /** A moment accumulator shaped like {@code variable}, zero at the start. */
    private static Variable<TFloat32> zeroSlot(Ops init, Variable<TFloat32> variable, String slot) {
        return init.withName(variable.op().name() + "_adam_" + slot)
                .variable(init.zeros(init.constant(variable.shape().asArray()), TFloat32.class));
    }
}
