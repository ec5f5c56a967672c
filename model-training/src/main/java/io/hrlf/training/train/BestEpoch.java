package io.hrlf.training.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.tensorflow.Session;

/**
 * Model selection by epoch: remembers the session's variables at the epoch with the lowest selection MAE
 * (a checkpoint in a temporary directory, deleted on close) and restores them at the end.
 */
final class BestEpoch implements AutoCloseable {
    private final Session session;
    private final Path dir;
    private double bestMae = Double.POSITIVE_INFINITY;
    private int bestEpoch;

    BestEpoch(Session session) {
        this.session = session;
        try {
            this.dir = Files.createTempDirectory("hrlf-best-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checkpoints the session if {@code mae} is the lowest offered so far. */
    void offer(int epoch, double mae) {
        if (mae < bestMae) {
            bestMae = mae;
            bestEpoch = epoch;
            session.save(checkpoint());
        }
    }

    /** The epoch last checkpointed; 0 before any. */
    int epoch() {
        return bestEpoch;
    }

    /** Puts the best epoch's variables back (all of the session's variables are restored). */
    void restore() {
        session.restore(checkpoint());
    }

    private String checkpoint() {
        return dir.resolve("best").toString();
    }

    @Override
    public void close() {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp checkpoint left behind is harmless
        }
    }
}
