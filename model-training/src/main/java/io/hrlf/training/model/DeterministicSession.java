package io.hrlf.training.model;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;

/**
 * Opens training sessions whose schedule does not depend on the machine's load: every op runs on one
 * thread of a pool owned by the session, so the order in which independent ops run and the way a
 * reduction is split between threads are the same on every run. Known gap (README, "Results"): on
 * MOSI, runs of the {@code full} variant still drift apart after 10-14 teacher epochs, even pinned to
 * one CPU, so some difference between processes remains elsewhere.
 * (The graph also orders each optimizer's variable updates after all of its gradients, see
 * {@link HrlfGraph}; this config makes the rest of the schedule fixed.) The training graphs are small,
 * so one thread costs little, and on a shared machine it avoids oversubscribing the cores.
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
