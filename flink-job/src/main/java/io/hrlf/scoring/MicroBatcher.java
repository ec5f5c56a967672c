package io.hrlf.scoring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Groups single requests into batches of at most {@code maxBatchSize}, sending a batch when it is
 * full or when its first request has waited {@code maxWait}. Batches run one after another on one
 * worker thread, so one scorer subtask never competes with itself for the CPU or GPU. Independent of
 * TensorFlow and of Flink so that another batching policy can replace it.
 *
 * @param <I> request type
 * @param <O> result type, one per request, in request order
 */
public final class MicroBatcher<I, O> implements AutoCloseable {

    /** Work on one batch; must return exactly one result per request, in order. */
    @FunctionalInterface
    public interface BatchFunction<I, O> {
        List<O> apply(List<I> batch) throws Exception;
    }

    /** How long {@link #close()} waits for a running batch. */
    public static final Duration DEFAULT_CLOSE_WAIT = Duration.ofSeconds(30);

    private record Pending<I, O>(I request, CompletableFuture<O> result) {}

    private final int maxBatchSize;
    private final long maxWaitNanos;
    private final BatchFunction<I, O> function;
    private final ScheduledThreadPoolExecutor worker;
    private final Object lock = new Object();
    private List<Pending<I, O>> open = new ArrayList<>();
    /** Batches handed to the worker and not yet finished, so that close() can fail the ones it drops. */
    private final Set<List<Pending<I, O>>> handedOver = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Identifies the open batch, so a deadline set for an earlier batch does not cut a later one short. */
    private long openBatchId;
    private boolean closed;

    public MicroBatcher(int maxBatchSize, Duration maxWait, BatchFunction<I, O> function, String threadName) {
        if (maxBatchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive: " + maxBatchSize);
        }
        this.maxBatchSize = maxBatchSize;
        this.maxWaitNanos = maxWait.toNanos();
        this.function = function;
        this.worker = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        this.worker.setRemoveOnCancelPolicy(true);
    }

    public CompletableFuture<O> submit(I request) {
        CompletableFuture<O> result = new CompletableFuture<>();
        List<Pending<I, O>> full = null;
        synchronized (lock) {
            if (closed) {
                result.completeExceptionally(new IllegalStateException("batcher is closed"));
                return result;
            }
            open.add(new Pending<>(request, result));
            if (open.size() >= maxBatchSize) {
                full = takeOpenBatch();
            } else if (open.size() == 1) {
                long batchId = openBatchId;
                worker.schedule(() -> flushIfStill(batchId), maxWaitNanos, TimeUnit.NANOSECONDS);
            }
        }
        if (full != null) {
            List<Pending<I, O>> batch = full;
            try {
                worker.execute(() -> run(batch));
            } catch (RejectedExecutionException closedMeanwhile) {
                for (Pending<I, O> p : batch) {
                    p.result().completeExceptionally(new IllegalStateException("batcher is closed"));
                }
            }
        }
        return result;
    }

    /** Called with the lock held. */
    private List<Pending<I, O>> takeOpenBatch() {
        List<Pending<I, O>> batch = open;
        open = new ArrayList<>();
        openBatchId++;
        if (!closed) {
            handedOver.add(batch);
        }
        return batch;
    }

    private void flushIfStill(long batchId) {
        List<Pending<I, O>> batch;
        synchronized (lock) {
            if (batchId != openBatchId || open.isEmpty()) {
                return;
            }
            batch = takeOpenBatch();
        }
        run(batch);
    }

    private void run(List<Pending<I, O>> batch) {
        List<I> requests = new ArrayList<>(batch.size());
        for (Pending<I, O> p : batch) {
            requests.add(p.request());
        }
        try {
            List<O> results = function.apply(requests);
            if (results.size() != batch.size()) {
                throw new IllegalStateException("batch function returned " + results.size() + " results for "
                        + batch.size() + " requests");
            }
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(results.get(i));
            }
        } catch (Throwable t) {
            for (Pending<I, O> p : batch) {
                p.result().completeExceptionally(t);
            }
        } finally {
            synchronized (lock) {
                handedOver.remove(batch);
            }
        }
    }

    /** Closes with {@link #DEFAULT_CLOSE_WAIT}; see {@link #close(Duration)}. */
    @Override
    public void close() {
        close(DEFAULT_CLOSE_WAIT);
    }

    /**
     * Fails every request not yet scored, and waits up to {@code wait} for the batch that is running
     * (a native TensorFlow call cannot be interrupted).
     *
     * @return whether the worker stopped; only then may the caller release what the batch function uses
     */
    public boolean close(Duration wait) {
        List<Pending<I, O>> left;
        synchronized (lock) {
            closed = true;
            left = takeOpenBatch();
        }
        worker.shutdownNow(); // drops queued batches; their requests are failed below
        boolean stopped;
        try {
            stopped = worker.awaitTermination(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = false;
        }
        List<Pending<I, O>> dropped = new ArrayList<>(left);
        synchronized (lock) {
            handedOver.forEach(dropped::addAll);
        }
        IllegalStateException closedError = new IllegalStateException("batcher closed before scoring");
        for (Pending<I, O> p : dropped) {
            p.result().completeExceptionally(closedError); // no-op for those the running batch completed
        }
        return stopped;
    }
}
