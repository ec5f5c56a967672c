package io.hrlf.scoring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * How both scorers treat a failing TensorFlow call: a failing batch is retried with a linear backoff
 * (a transient error: a GPU out of memory, a device reset); one that keeps failing is scored window by
 * window so that one window the model cannot score (say, one it maps to NaN) does not take its
 * batch-mates down, and that window becomes a failure of its own.
 */
final class BatchRetries {
    private BatchRetries() {}

    /**
     * @param scoreBatch scores the whole list or throws, producing nothing
     * @param failed the outcome of a window that failed alone
     * @param onRetry called before each retry (a metric)
     */
    static <W, R> List<R> score(List<W> windows, ScorerSettings settings, Function<List<W>, List<R>> scoreBatch,
                                BiFunction<W, RuntimeException, R> failed, Runnable onRetry, Logger log) {
        RuntimeException lastError = null;
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            if (attempt > 1) {
                onRetry.run();
                pause(settings.retryBackoff().multipliedBy(attempt - 1));
            }
            try {
                return scoreBatch.apply(windows);
            } catch (RuntimeException e) {
                lastError = e;
                log.warn("Scoring a batch of {} windows failed (attempt {} of {}): {}", windows.size(), attempt,
                        settings.maxAttempts(), e.toString());
            }
        }
        if (windows.size() == 1) {
            return List.of(failed.apply(windows.get(0), lastError));
        }
        List<R> out = new ArrayList<>(windows.size());
        for (W window : windows) {
            try {
                out.addAll(scoreBatch.apply(List.of(window)));
            } catch (RuntimeException e) {
                out.add(failed.apply(window, e));
            }
        }
        return out;
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScoringException("interrupted while backing off before a retry", e);
        }
    }
}
