package io.hrlf.training.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Conversational context inside one HRLF branch (issue 14). Each window leaves a representation
 * r = tanh(W [H̃, p]) of its fused code H̃ and its modalities' presence p, for its participant's next
 * windows. A window reads the representations of its K predecessors by masked attention: its own query
 * W_q [H̃, p] scores each filled slot (a dot product plus a learned bias per slot, so recency can count),
 * and the weighted mean c of the filled slots feeds a small head whose logit is added to the window's own.
 * With no filled slot the context logit is exactly zero, so a participant's first window is scored as the
 * utterance-only part of the model scores it.
 *
 * <p>The representation depends on the window alone (not on its context). That lets training compute a
 * whole video's representations in one batch and select each row's context among them
 * ({@link io.hrlf.training.context.ContextSlots}), while serving is fed the remembered representations;
 * the same weights read both ({@link #logit} is applied to each source).
 */
final class ContextHead {
    /** The attention logits are bounded so their exponentials need no max-subtraction. */
    private static final float LOGIT_BOUND = 4f;
    /** Keeps the attention's normaliser away from zero when no slot is filled (the weights are all 0 then). */
    private static final float EMPTY_CONTEXT_FLOOR = 1e-6f;

    /** Where a branch's context comes from while training, given the representations [B, d_c] of the batch. */
    interface Source {
        Context context(Operand<TFloat32> representations);
    }

    /** Context values [B, K, d_c] and mask [B, K]. */
    record Context(Operand<TFloat32> values, Operand<TFloat32> mask) {}

    private final Layers layers;
    private final int dimension;
    private final Layers.Dense representationLayer;
    private final Layers.Dense queryLayer;
    private final Variable<TFloat32> slotBias;
    private final Layers.Mlp head;

    /** In the name of every context variable, so the training stages can tell them apart. */
    static final String VARIABLE_PREFIX = "_ctx_";

    /**
     * Its weights come from a stream apart from the branch's, so the rest of the model starts as the model
     * without context does; the head's output layer starts at zero, so the context adds nothing until trained.
     */
    ContextHead(Layers branchLayers, Params params, int d, int windows, int dimension) {
        this.layers = branchLayers.apart("context-" + params.name());
        this.dimension = dimension;
        int in = 3 * d + 3;
        this.representationLayer = layers.dense(params, "ctx_rep", in, dimension);
        this.queryLayer = layers.dense(params, "ctx_query", in, dimension);
        this.slotBias = layers.zeros(params, "ctx_slot_bias", Shape.of(windows));
        this.head = layers.mlpStartingAtZero(params, "ctx_head", dimension + 4, d, 1);
    }

    /** Whether {@code variable} (a variable's op name) belongs to a context head. */
    static boolean isContextVariable(String variable) {
        return variable.contains(VARIABLE_PREFIX);
    }

    /** The window [H̃, p] of fused code [B, 3d] and presence [B, 3]. */
    Operand<TFloat32> window(Operand<TFloat32> fused, Operand<TFloat32> present) {
        Ops tf = layers.tf();
        return tf.concat(List.of(fused, present), tf.constant(1));
    }

    /** The representation [B, d_c] the window leaves for its successors. */
    Operand<TFloat32> representation(Operand<TFloat32> window) {
        return layers.tf().math.tanh(representationLayer.apply(window));
    }

    /** The context's logit [B]: zero where no slot is filled. */
    Operand<TFloat32> logit(Operand<TFloat32> window, Operand<TFloat32> present, Context context) {
        Ops tf = layers.tf();
        Operand<TFloat32> query = queryLayer.apply(window);
        // [B, K]: <q, r_k> / sqrt(d_c) + b_k, bounded
        Operand<TFloat32> similarity = tf.math.div(
                tf.reduceSum(tf.math.mul(context.values(), tf.expandDims(query, tf.constant(1))), tf.constant(2)),
                tf.constant((float) Math.sqrt(dimension)));
        Operand<TFloat32> logits = tf.math.mul(tf.constant(LOGIT_BOUND),
                tf.math.tanh(tf.math.div(tf.math.add(similarity, slotBias), tf.constant(LOGIT_BOUND))));
        Operand<TFloat32> weights = tf.math.mul(tf.math.exp(logits), context.mask());
        Operand<TFloat32> total = tf.reduceSum(weights, tf.constant(1), ReduceSum.keepDims(true));
        Operand<TFloat32> attention = tf.math.div(weights, tf.math.maximum(total, tf.constant(EMPTY_CONTEXT_FLOOR)));
        Operand<TFloat32> summary = tf.reduceSum(tf.math.mul(tf.expandDims(attention, tf.constant(-1)), context.values()),
                tf.constant(1));
        Operand<TFloat32> hasContext = tf.math.minimum(
                tf.reduceSum(context.mask(), tf.constant(1), ReduceSum.keepDims(true)), tf.constant(1f));
        Operand<TFloat32> logit = head.apply(tf.concat(List.of(summary, present, hasContext), tf.constant(1)));
        return tf.reshape(tf.math.mul(logit, hasContext), tf.constant(new int[] {-1}));
    }
}
