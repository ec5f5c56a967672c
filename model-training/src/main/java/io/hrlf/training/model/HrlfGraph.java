package io.hrlf.training.model;

import io.hrlf.contract.Modality;
import io.hrlf.contract.TensorContract;
import io.hrlf.training.data.FeatureNormalizer;
import io.hrlf.training.train.TaskLoss;
import io.hrlf.training.train.TrainingOptions;
import io.hrlf.training.train.Variant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The training graph of one variant: student (and, where the variant has one, teacher) networks,
 * the HMI statistics networks, the HAL discriminators, every loss, and one Adam optimizer per
 * parameter group. Each optimizer receives gradients only for its own variables, so the teacher stays
 * frozen during distillation and the discriminators and the student never update each other.
 */
public final class HrlfGraph implements AutoCloseable {
    public final Graph graph;
    public final List<Placeholder<TFloat32>> studentInputs = new ArrayList<>();
    public final List<Placeholder<TFloat32>> studentMasks = new ArrayList<>();
    public final List<Placeholder<TFloat32>> teacherInputs = new ArrayList<>();
    public final List<Placeholder<TFloat32>> teacherMasks = new ArrayList<>();
    public final Placeholder<TFloat32> labels;
    public final HrlfBranch student;
    public final HrlfBranch teacher;
    public final Params studentParams = new Params("student");
    public final Params teacherParams = new Params("teacher");
    /** Deep InfoMax statistics networks: trained with the student, to maximise the MI bound. */
    public final Params miParams = new Params("hmi");
    public final Params discriminatorParams = new Params("hal");
    public final Operand<TFloat32> studentLoss;
    public final Operand<TFloat32> teacherLoss;
    public final Operand<TFloat32> discriminatorLoss;
    public final Operand<TFloat32> mutualInformation;
    public final Op studentTrain;
    public final Op teacherTrain;
    public final Op discriminatorTrain;
    /**
     * With context (else null): train only the student's, or the teacher's, context head on their usual objectives,
     * after the rest of the branch has been trained (and stays frozen).
     */
    public final Op studentContextTrain;
    public final Op teacherContextTrain;
    /** The student's unimodal heads' task loss; null without a pre-training stage. */
    public final Operand<TFloat32> studentUnimodalLoss;
    /** Trains each student encoder with its own head on the unimodal loss; null without a pre-training stage. */
    public final Op unimodalPretrain;
    /** Fed while training only (default 0 elsewhere): see {@link Layers#dropoutRate()}, {@link Layers#inputNoise()}. */
    public final Operand<TFloat32> dropoutRate;
    public final Operand<TFloat32> inputNoise;
    /**
     * With context (K &gt; 0, else null): the one-hot selection [B*K, B] of each row's context slots among the batch's
     * own rows ({@link io.hrlf.training.context.ContextSlots#selection()}), fed while training and evaluating here,
     * and the slots' mask [B, K] (the contract's {@code context_mask}), fed in training and in serving.
     */
    public final Placeholder<TFloat32> contextSelection;
    public final Placeholder<TFloat32> contextMask;
    /**
     * The serving signature's context values [B, K, d_c] (the contract's input), read by the student's
     * {@link HrlfBranch#servingScore}; null without context.
     */
    public final Placeholder<TFloat32> studentContext;

    private final Layers layers;
    private final TrainingOptions options;

    /** The student's and the discriminators' HAL objectives. */
    private record Adversarial(Operand<TFloat32> discriminatorLoss, Operand<TFloat32> generatorLoss) {}

    public HrlfGraph(int steps, int[] dims, FeatureNormalizer normalizer, TrainingOptions options) {
        this.graph = new Graph();
        try {
            Ops tf = Ops.create(graph);
            Variant variant = options.variant();
            this.options = options;
            this.layers = new Layers(tf, options.seed());
            this.dropoutRate = layers.dropoutRate();
            this.inputNoise = layers.inputNoise();
            declareInputs(tf, steps, dims);
            this.labels = tf.withName("labels").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
            int k = options.contextWindows();
            int dc = options.contextDim();
            this.contextSelection = k == 0 ? null : tf.withName("train_context_selection").placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, -1)));
            this.contextMask = k == 0 ? null : tf.withName(TensorContract.CONTEXT_MASK_INPUT).placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, k)));
            ContextHead.Source selectedContext = k == 0 ? null
                    : representations -> new ContextHead.Context(selected(tf, representations, k, dc), contextMask);
            this.studentContext = k == 0 ? null : tf.withName(TensorContract.CONTEXT_INPUT).placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, k, dc)));
            ContextHead.Context servingContext = k == 0 ? null : new ContextHead.Context(studentContext, contextMask);

            HrlfBranch.Config config = new HrlfBranch.Config(steps, dims, normalizer, options.modelDim(),
                    variant.usesFrf(), options.modalityGate(), options.dropout() > 0,
                    options.inputNoise() > 0 || options.hasContext() && options.contextNoise() > 0,
                    options.unimodalWeight() > 0 || options.unimodalPretrainEpochs() > 0, k, dc);
            // the build order fixes the order the weights are drawn from the seed: student, teacher, HMI, HAL
            this.student = HrlfBranch.build(layers, studentParams, studentInputs, studentMasks, config,
                    selectedContext, servingContext);
            this.teacher = variant.hasTeacher()
                    ? HrlfBranch.build(layers, teacherParams, teacherInputs, teacherMasks, config, selectedContext, null)
                    : null;
            this.teacherLoss = teacher == null ? null : branchLoss(teacher, teacherParams);
            this.mutualInformation = teacher != null && variant.usesHmi()
                    ? hierarchicalMutualInformation(options.modelDim()) : null;
            Adversarial hal = teacher != null && variant.usesHal() ? adversarial(options.modelDim()) : null;
            this.discriminatorLoss = hal == null ? null : hal.discriminatorLoss();
            this.studentLoss = studentObjective(hal);
            this.studentTrain = minimize(tf, "student", studentLoss, studentSideVariables(), options.learningRate());
            // MoMKE's first stage: only the encoders and the heads reach the unimodal loss, so only they move
            this.studentUnimodalLoss = options.unimodalPretrainEpochs() > 0 ? unimodalLoss(student) : null;
            this.unimodalPretrain = studentUnimodalLoss == null ? null
                    : minimizeReached(tf, "unimodal", studentUnimodalLoss, studentParams.variables(),
                    options.learningRate());
            this.teacherTrain = teacher == null ? null
                    : minimize(tf, "teacher", teacherLoss, branchObjectiveVariables(teacherParams), options.learningRate());
            this.discriminatorTrain = discriminatorLoss == null ? null
                    : minimize(tf, "hal", discriminatorLoss, discriminatorParams.variables(), options.learningRate());
            this.studentContextTrain = k == 0 ? null : minimize(tf, "student_context", studentLoss,
                    contextVariables(studentParams), options.learningRate());
            this.teacherContextTrain = k == 0 || teacher == null ? null : minimize(tf, "teacher_context", teacherLoss,
                    contextVariables(teacherParams), options.learningRate());
        } catch (RuntimeException e) {
            graph.close(); // a graph that failed to build is never handed out, so free it here
            throw e;
        }
    }

    /** The contract's input names for the student (the serving signature), prefixed ones for the teacher. */
    private void declareInputs(Ops tf, int steps, int[] dims) {
        for (Modality m : Modality.ALL) {
            studentInputs.add(tf.withName(m.inputName()).placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, steps, dims[m.ordinal()]))));
            studentMasks.add(tf.withName(m.maskName()).placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, steps))));
            teacherInputs.add(tf.withName("teacher_" + m.inputName()).placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, steps, dims[m.ordinal()]))));
            teacherMasks.add(tf.withName("teacher_" + m.maskName()).placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, steps))));
        }
    }

    /** [B, K, d_c]: each row's context slots filled from the batch's representations by the fed selection. */
    private Operand<TFloat32> selected(Ops tf, Operand<TFloat32> representations, int k, int dc) {
        return tf.reshape(tf.linalg.matMul(contextSelection, representations), tf.constant(new int[] {-1, k, dc}));
    }

    /** A branch's own objective: the task loss, FRF (when on) and weight decay (when on). */
    private Operand<TFloat32> branchLoss(HrlfBranch branch, Params params) {
        Ops tf = layers.tf();
        Operand<TFloat32> loss = options.taskLoss() == TaskLoss.L1
                ? layers.meanAbsoluteError(branch.score, labels)
                : layers.meanSquaredError(branch.score, labels);
        if (branch.frfLoss != null) {
            loss = tf.math.add(loss, tf.math.mul(tf.constant(options.frfWeight()), branch.frfLoss));
        }
        if (options.unimodalWeight() > 0) {
            loss = tf.math.add(loss, tf.math.mul(tf.constant(options.unimodalWeight()), unimodalLoss(branch)));
        }
        if (options.weightDecay() > 0) {
            loss = tf.math.add(loss, tf.math.mul(tf.constant(options.weightDecay()), layers.l2(params)));
        }
        return loss;
    }

    /** The task loss of each present modality's own head, averaged over the present (sample, modality) pairs. */
    private Operand<TFloat32> unimodalLoss(HrlfBranch branch) {
        Ops tf = layers.tf();
        Operand<TFloat32> total = tf.constant(0f);
        Operand<TFloat32> count = tf.constant(1e-6f);
        for (int i = 0; i < branch.unimodalScores.size(); i++) {
            Operand<TFloat32> present = tf.reshape(branch.present.get(i), tf.constant(new int[] {-1}));
            Operand<TFloat32> error = tf.math.sub(branch.unimodalScores.get(i), labels);
            Operand<TFloat32> perSample = options.taskLoss() == TaskLoss.L1 ? tf.math.abs(error) : tf.math.square(error);
            total = tf.math.add(total, tf.reduceSum(tf.math.mul(perSample, present), tf.constant(0)));
            count = tf.math.add(count, tf.reduceSum(present, tf.constant(0)));
        }
        return tf.math.div(total, count);
    }

    /** The student's branch loss plus distillation, minus the HMI bound, plus the HAL generator term. */
    private Operand<TFloat32> studentObjective(Adversarial hal) {
        Ops tf = layers.tf();
        Operand<TFloat32> loss = branchLoss(student, studentParams);
        if (teacher != null && options.variant().usesKd()) {
            // The paper's KL is undefined for a scalar regression output: distil the teacher's score by MSE.
            loss = tf.math.add(loss, tf.math.mul(tf.constant(options.kdWeight()),
                    layers.meanSquaredError(student.score, tf.stopGradient(teacher.score))));
        }
        if (mutualInformation != null) {
            loss = tf.math.sub(loss, tf.math.mul(tf.constant(options.hmiWeight()), mutualInformation));
        }
        if (hal != null) {
            loss = tf.math.add(loss, tf.math.mul(tf.constant(options.halWeight()), hal.generatorLoss()));
        }
        return loss;
    }

    /** The student's parameters and the HMI statistics networks, which maximise the bound with it. */
    private List<Variable<TFloat32>> studentSideVariables() {
        List<Variable<TFloat32>> variables = branchObjectiveVariables(studentParams);
        variables.addAll(miParams.variables());
        return variables;
    }

    /**
     * A branch's parameters but the unimodal heads when those are built only for the pre-training stage, and but
     * the context head, which trains in a stage of its own.
     */
    private List<Variable<TFloat32>> branchObjectiveVariables(Params params) {
        List<Variable<TFloat32>> variables = new ArrayList<>(params.variables());
        if (options.unimodalWeight() == 0) {
            variables.removeIf(v -> v.op().name().contains(HrlfBranch.UNIMODAL_HEAD));
        }
        variables.removeIf(v -> ContextHead.isContextVariable(v.op().name()));
        return variables;
    }

    private static List<Variable<TFloat32>> contextVariables(Params params) {
        return params.variables().stream().filter(v -> ContextHead.isContextVariable(v.op().name())).toList();
    }

    /**
     * HAL: one discriminator per scale tells the teacher's representation (real) from the student's
     * (fake); the student fools it with the non-saturating loss.
     */
    private Adversarial adversarial(int d) {
        Ops tf = layers.tf();
        Operand<TFloat32> discLoss = null;
        Operand<TFloat32> generator = null;
        for (int i = 0; i < 3; i++) {
            Layers.Mlp discriminator = layers.mlp(discriminatorParams, "D_e" + (i + 1), student.scaleDims[i], d, 1);
            Operand<TFloat32> real = discriminator.apply(tf.stopGradient(teacher.scales.get(i)));
            Operand<TFloat32> fake = discriminator.apply(tf.stopGradient(student.scales.get(i)));
            // D maximises log D(E^t) + log(1 - D(E^s)), i.e. minimises softplus(-real) + softplus(fake)
            Operand<TFloat32> scaleLoss = tf.math.add(mean(tf, tf.math.softplus(tf.math.neg(real))),
                    mean(tf, tf.math.softplus(fake)));
            discLoss = discLoss == null ? scaleLoss : tf.math.add(discLoss, scaleLoss);
            // the student fools D with the non-saturating loss -log D(E^s) = softplus(-D(E^s))
            Operand<TFloat32> fool = mean(tf, tf.math.softplus(tf.math.neg(discriminator.apply(student.scales.get(i)))));
            generator = generator == null ? fool : tf.math.add(generator, fool);
        }
        return new Adversarial(discLoss, generator);
    }

    /**
     * Deep InfoMax JSD lower bound between teacher and student representations at each scale:
     * positives pair a sample's teacher and student codes, negatives pair it with the next sample's
     * student code (a roll of the batch). One statistics network per scale.
     */
    private Operand<TFloat32> hierarchicalMutualInformation(int d) {
        Ops tf = layers.tf();
        Operand<TFloat32> total = null;
        for (int i = 0; i < 3; i++) {
            int dim = student.scaleDims[i];
            Layers.Mlp statistics = layers.mlp(miParams, "T" + (i + 1), 2 * dim, d, 1);
            Operand<TFloat32> t = tf.stopGradient(teacher.scales.get(i));
            Operand<TFloat32> s = student.scales.get(i);
            Operand<TFloat32> shuffled = tf.roll(s, tf.constant(1), tf.constant(0));
            Operand<TFloat32> positive = statistics.apply(tf.concat(List.of(t, s), tf.constant(1)));
            Operand<TFloat32> negative = statistics.apply(tf.concat(List.of(t, shuffled), tf.constant(1)));
            Operand<TFloat32> bound = tf.math.sub(mean(tf, tf.math.neg(tf.math.softplus(tf.math.neg(positive)))),
                    mean(tf, tf.math.softplus(negative)));
            total = total == null ? bound : tf.math.add(total, bound);
        }
        return total;
    }

    private static Operand<TFloat32> mean(Ops tf, Operand<TFloat32> x) {
        return tf.math.mean(tf.reshape(x, tf.constant(new int[] {-1})), tf.constant(0));
    }

    /** Adam on {@code loss} over those of {@code variables} that it depends on. */
    private Op minimizeReached(Ops tf, String name, Operand<TFloat32> loss, List<Variable<TFloat32>> variables,
                               float lr) {
        Set<String> ancestors = new HashSet<>();
        Deque<GraphOperation> pending = new ArrayDeque<>(List.of((GraphOperation) loss.op()));
        while (!pending.isEmpty()) {
            GraphOperation op = pending.pop();
            if (ancestors.add(op.name())) {
                op.inputs().forEach(input -> pending.push((GraphOperation) input.op()));
            }
        }
        List<Variable<TFloat32>> reached = variables.stream().filter(v -> ancestors.contains(v.op().name())).toList();
        return minimize(tf, name, loss, reached, lr);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Op minimize(Ops tf, String name, Operand<TFloat32> loss, List<Variable<TFloat32>> variables, float lr) {
        Output<?>[] xs = variables.stream().map(Variable::asOutput).toArray(Output<?>[]::new);
        Output<?>[] gradients = graph.addGradients("grad_" + name, new Output<?>[] {loss.asOutput()}, xs, null);
        for (int i = 0; i < xs.length; i++) {
            if (gradients[i] == null) {
                throw new IllegalStateException("no gradient reaches " + xs[i].op().name() + " from the " + name + " loss");
            }
        }
        // The variables are read by reference: without this barrier an update could run before another
        // gradient has read the variable it changes, and the result would depend on the executor's
        // timing-based schedule (see DeterministicSession).
        List<Op> computed = new ArrayList<>();
        for (Output<?> gradient : gradients) {
            computed.add(tf.identity((Operand) gradient));
        }
        Ops afterAllGradients = tf.withControlDependencies(computed);
        List<Operand<TFloat32>> ordered = new ArrayList<>();
        for (Output<?> gradient : gradients) {
            ordered.add(afterAllGradients.identity((Operand<TFloat32>) gradient));
        }
        return OrderedAdam.apply(tf, "adam_" + name, variables, ordered, lr);
    }

    @Override
    public void close() {
        graph.close();
    }
}
