package io.hrlf.training.model;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;

/**
 * Opens training sessions with one thread inside each op and one between ops, in a pool owned by the
 * session: a reduction is never split differently between threads and no two ops run at once. This
 * alone does not fix the order of ops that do not depend on each other: TensorFlow's executor runs a
 * ready op inline or queues it by a cost it measures in CPU cycles, so that order follows the
 * machine's load. Every order that changes a result is therefore a dependency in the graph: each
 * optimizer's updates wait for all of its gradients ({@link HrlfGraph}) and its step counters wait for
 * all of its updates ({@link OrderedAdam}). The training graphs are small, so one thread costs little,
 * and on a shared machine it avoids oversubscribing the cores.
 */
public final class DeterministicSession {
    /** One thread inside each op and one between ops. */
    static final int THREADS = 1;

    private DeterministicSession() {}

    public static ConfigProto config() {
        return ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(THREADS)
                .setInterOpParallelismThreads(THREADS)
                // a pool of the session's own, not the process-wide one sized by whichever session came first
                .setUsePerSessionThreads(true)
                .build();
    }

    public static Session open(Graph graph) {
        return new Session(graph, config());
    }
}
