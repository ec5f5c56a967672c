package io.hrlf.scoring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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

    private record Pending<I, O>(I request, CompletableFuture<O> result) {}

    private final int maxBatchSize;
    private final long maxWaitNanos;
    private final BatchFunction<I, O> function;
    private final ScheduledThreadPoolExecutor worker;
    private final Object lock = new Object();
    private List<Pending<I, O>> open = new ArrayList<>();
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
            worker.execute(() -> run(batch));
        }
        return result;
    }

    private List<Pending<I, O>> takeOpenBatch() {
        List<Pending<I, O>> batch = open;
        open = new ArrayList<>();
        openBatchId++;
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
        }
    }

    /** Fails what is still waiting and stops the worker after the batch it is running. */
    @Override
    public void close() {
        List<Pending<I, O>> left;
        synchronized (lock) {
            closed = true;
            left = takeOpenBatch();
        }
        for (Pending<I, O> p : left) {
            p.result().completeExceptionally(new IllegalStateException("batcher closed before scoring"));
        }
        worker.shutdownNow();
    }
}
