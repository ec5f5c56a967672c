package io.hrlf.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MicroBatcherTest {

    private static List<String> echo(List<Integer> batch) {
        return batch.stream().map(i -> "r" + i).collect(Collectors.toList());
    }

    @Test
    void aFullBatchIsSentWithoutWaiting() throws Exception {
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        try (MicroBatcher<Integer, String> batcher = new MicroBatcher<>(4, Duration.ofHours(1), batch -> {
            sizes.add(batch.size());
            return echo(batch);
        }, "test")) {
            List<CompletableFuture<String>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(batcher.submit(i));
            }
            for (int i = 0; i < 8; i++) {
                assertThat(results.get(i).get(5, TimeUnit.SECONDS)).isEqualTo("r" + i);
            }
            assertThat(sizes).containsExactly(4, 4);
        }
    }

    @Test
    void aPartialBatchIsSentAfterTheMaxWait() throws Exception {
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        try (MicroBatcher<Integer, String> batcher = new MicroBatcher<>(100, Duration.ofMillis(50), batch -> {
            sizes.add(batch.size());
            return echo(batch);
        }, "test")) {
            long started = System.nanoTime();
            CompletableFuture<String> a = batcher.submit(1);
            CompletableFuture<String> b = batcher.submit(2);
            assertThat(a.get(5, TimeUnit.SECONDS)).isEqualTo("r1");
            assertThat(b.get(5, TimeUnit.SECONDS)).isEqualTo("r2");
            assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
            assertThat(sizes).containsExactly(2);
        }
    }

    @Test
    void concurrentSubmittersGetTheirOwnResultsInBoundedBatches() throws Exception {
        int threads = 4;
        int perThread = 500;
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (MicroBatcher<Integer, String> batcher = new MicroBatcher<>(16, Duration.ofMillis(2), batch -> {
            sizes.add(batch.size());
            return echo(batch);
        }, "test")) {
            CountDownLatch start = new CountDownLatch(1);
            List<java.util.concurrent.Future<List<CompletableFuture<String>>>> submitted = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                submitted.add(pool.submit(() -> {
                    start.await();
                    List<CompletableFuture<String>> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        mine.add(batcher.submit(base + i));
                    }
                    return mine;
                }));
            }
            start.countDown();
            for (int t = 0; t < threads; t++) {
                List<CompletableFuture<String>> mine = submitted.get(t).get(10, TimeUnit.SECONDS);
                for (int i = 0; i < perThread; i++) {
                    assertThat(mine.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("r" + (t * perThread + i));
                }
            }
            assertThat(sizes).allSatisfy(size -> assertThat(size).isBetween(1, 16));
            assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(threads * perThread);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailingBatchFailsEachOfItsRequestsAndTheBatcherGoesOn() throws Exception {
        try (MicroBatcher<Integer, String> batcher = new MicroBatcher<>(2, Duration.ofMillis(5), batch -> {
            if (batch.contains(13)) {
                throw new IllegalStateException("unlucky");
            }
            return echo(batch);
        }, "test")) {
            CompletableFuture<String> a = batcher.submit(13);
            CompletableFuture<String> b = batcher.submit(14);
            assertThatThrownBy(() -> a.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("unlucky");
            assertThatThrownBy(() -> b.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            assertThat(batcher.submit(1).get(5, TimeUnit.SECONDS)).isEqualTo("r1");
        }
    }

    @Test
    void closingFailsWhatIsStillWaiting() {
        MicroBatcher<Integer, String> batcher = new MicroBatcher<>(10, Duration.ofHours(1), MicroBatcherTest::echo, "t");
        CompletableFuture<String> waiting = batcher.submit(1);
        batcher.close();
        assertThat(waiting).isCompletedExceptionally();
        assertThat(batcher.submit(2)).isCompletedExceptionally();
    }

    /** A batch function that, like a native TensorFlow call, ignores interrupts until released. */
    private static final class UninterruptibleBatch implements MicroBatcher.BatchFunction<Integer, String> {
        final CountDownLatch started = new CountDownLatch(1);
        volatile boolean released;

        @Override
        public List<String> apply(List<Integer> batch) {
            started.countDown();
            while (!released) {
                Thread.onSpinWait();
            }
            return echo(batch);
        }
    }

    @Test
    void closeWaitsForTheRunningBatchAndFailsTheQueuedOnes() throws Exception {
        UninterruptibleBatch function = new UninterruptibleBatch();
        MicroBatcher<Integer, String> batcher = new MicroBatcher<>(1, Duration.ofHours(1), function, "t");
        CompletableFuture<String> running = batcher.submit(1);
        assertThat(function.started.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<String> queued = batcher.submit(2);

        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            function.released = true;
        });
        releaser.start();
        assertThat(batcher.close(Duration.ofSeconds(10))).as("stopped once the running batch ended").isTrue();
        assertThat(running).isCompletedWithValue("r1");
        assertThat(queued).isCompletedExceptionally();
        releaser.join();
    }

    @Test
    void closeReportsAWorkerThatDidNotStopAndFailsEverything() throws Exception {
        UninterruptibleBatch function = new UninterruptibleBatch();
        MicroBatcher<Integer, String> batcher = new MicroBatcher<>(1, Duration.ofHours(1), function, "t");
        CompletableFuture<String> running = batcher.submit(1);
        assertThat(function.started.await(5, TimeUnit.SECONDS)).isTrue();
        try {
            assertThat(batcher.close(Duration.ofMillis(50))).as("the batch is still running").isFalse();
            assertThat(running).isCompletedExceptionally();
        } finally {
            function.released = true;
        }
    }
}
