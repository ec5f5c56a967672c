package io.hrlf.training.model;

import io.hrlf.contract.Modality;
import io.hrlf.training.data.FeatureNormalizer;
import io.hrlf.training.train.TrainingOptions;
import io.hrlf.training.train.Variant;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.framework.optimizers.Adam;
import org.tensorflow.framework.optimizers.Optimizer;
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

    public HrlfGraph(int steps, int[] dims, FeatureNormalizer normalizer, TrainingOptions options) {
        this.graph = new Graph();
        try {
            Ops tf = Ops.create(graph);
            Variant variant = options.variant();
            int d = options.modelDim();
            Layers layers = new Layers(tf, options.seed());
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
            labels = tf.withName("labels").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));

            boolean frf = variant.usesFrf();
            student = HrlfBranch.build(layers, studentParams, studentInputs, studentMasks, steps, dims, normalizer, d, frf);
            Operand<TFloat32> loss = layers.meanSquaredError(student.score, labels);
            if (frf) {
                loss = tf.math.add(loss, tf.math.mul(tf.constant(options.frfWeight()), student.frfLoss));
            }

            Operand<TFloat32> mi = null;
            Operand<TFloat32> discLoss = null;
            if (variant.hasTeacher()) {
                teacher = HrlfBranch.build(layers, teacherParams, teacherInputs, teacherMasks, steps, dims, normalizer, d, frf);
                Operand<TFloat32> tLoss = layers.meanSquaredError(teacher.score, labels);
                if (frf) {
                    tLoss = tf.math.add(tLoss, tf.math.mul(tf.constant(options.frfWeight()), teacher.frfLoss));
                }
                teacherLoss = tLoss;
                if (variant.usesKd()) {
                    // The paper's KL is undefined for a scalar regression output: distil the teacher's score by MSE.
                    loss = tf.math.add(loss, tf.math.mul(tf.constant(options.kdWeight()),
                            layers.meanSquaredError(student.score, tf.stopGradient(teacher.score))));
                }
                if (variant.usesHmi()) {
                    mi = hierarchicalMutualInformation(layers, d);
                    loss = tf.math.sub(loss, tf.math.mul(tf.constant(options.hmiWeight()), mi));
                }
                if (variant.usesHal()) {
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
                        Operand<TFloat32> fool = mean(tf, tf.math.softplus(tf.math.neg(
                                discriminator.apply(student.scales.get(i)))));
                        generator = generator == null ? fool : tf.math.add(generator, fool);
                    }
                    loss = tf.math.add(loss, tf.math.mul(tf.constant(options.halWeight()), generator));
                }
            } else {
                teacher = null;
                teacherLoss = null;
            }
            studentLoss = loss;
            mutualInformation = mi;
            discriminatorLoss = discLoss;

            List<Variable<TFloat32>> studentSide = new ArrayList<>(studentParams.variables());
            studentSide.addAll(miParams.variables());
            studentTrain = minimize(tf, "student", studentLoss, studentSide, options.learningRate());
            teacherTrain = teacher == null ? null
                    : minimize(tf, "teacher", teacherLoss, teacherParams.variables(), options.learningRate());
            discriminatorTrain = discriminatorLoss == null ? null
                    : minimize(tf, "hal", discriminatorLoss, discriminatorParams.variables(), options.learningRate());
    
        } catch (RuntimeException e) {
            graph.close(); // a graph that failed to build is never handed out, so free it here
            throw e;
        }
    }

    /**
     * Deep InfoMax JSD lower bound between teacher and student representations at each scale:
     * positives pair a sample's teacher and student codes, negatives pair it with the next sample's
     * student code (a roll of the batch). One statistics network per scale.
     */
    private Operand<TFloat32> hierarchicalMutualInformation(Layers layers, int d) {
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

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Op minimize(Ops tf, String name, Operand<TFloat32> loss, List<Variable<TFloat32>> variables, float lr) {
        Output<?>[] xs = variables.stream().map(Variable::asOutput).toArray(Output<?>[]::new);
        Output<?>[] gradients = graph.addGradients("grad_" + name, new Output<?>[] {loss.asOutput()}, xs, null);
        List<Optimizer.GradAndVar<?>> pairs = new ArrayList<>();
        for (int i = 0; i < xs.length; i++) {
            if (gradients[i] == null) {
                throw new IllegalStateException("no gradient reaches " + xs[i].op().name() + " from the " + name + " loss");
            }
            pairs.add(new Optimizer.GradAndVar(gradients[i], xs[i]));
        }
        return new Adam(graph, "adam_" + name, lr).applyGradients((List) pairs, "train_" + name);
    }

    @Override
    public void close() {
        graph.close();
    }
}
