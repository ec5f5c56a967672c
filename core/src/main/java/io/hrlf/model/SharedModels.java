package io.hrlf.model;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link SentimentModel} per JVM and model directory, shared by every user (every Flink slot of
 * a task manager) and closed when the last user releases it. A TensorFlow session is thread-safe
 * and holds the weights once; one per slot would multiply native memory for nothing.
 */
public final class SharedModels {
    private static final Logger LOG = LoggerFactory.getLogger(SharedModels.class);
    private static final Map<Key, Entry> MODELS = new HashMap<>();

    private SharedModels() {}

    /** A model directory on a device: two GPUs of one task manager each get their own session. */
    private record Key(Path directory, ComputeDevice device) {}

    private static final class Entry {
        final SentimentModel model;
        int users;

        Entry(SentimentModel model) {
            this.model = model;
        }
    }

    /** A user's hold on a shared model; closing it releases the hold (once). */
    public static final class Lease implements AutoCloseable {
        private final Key key;
        private final SentimentModel model;
        private boolean released;

        private Lease(Key key, SentimentModel model) {
            this.key = key;
            this.model = model;
        }

        public SentimentModel model() {
            if (released) {
                throw new IllegalStateException("lease on " + key + " was released");
            }
            return model;
        }

        @Override
        public void close() {
            synchronized (MODELS) {
                if (released) {
                    return;
                }
                released = true;
                release(key);
            }
        }
    }

    /**
     * Loads the model on first use (checking it against the configured T and dimensions) and returns
     * a lease on the shared instance; later users with a different expectation are refused too.
     */
    public static Lease acquire(Path directory, int expectedSteps, int[] expectedDims) {
        return acquire(directory, expectedSteps, expectedDims, ComputeDevice.CPU);
    }

    /** As {@link #acquire(Path, int, int[])}, for a session placed on {@code device}. */
    public static Lease acquire(Path directory, int expectedSteps, int[] expectedDims, ComputeDevice device) {
        Key key = new Key(directory.toAbsolutePath().normalize(), device);
        synchronized (MODELS) {
            Entry entry = MODELS.get(key);
            if (entry == null) {
                entry = new Entry(SentimentModel.load(key.directory(), expectedSteps, expectedDims, device));
                MODELS.put(key, entry);
                LOG.info("Loaded model {} on {} (version {}, T={}, dims={})", key.directory(), device,
                        entry.model.metadata().modelVersion(), entry.model.metadata().steps(),
                        Arrays.toString(entry.model.metadata().dimensionsInOrder()));
            } else {
                entry.model.metadata().requireCompatible(key.directory(), expectedSteps, expectedDims);
            }
            entry.users++;
            return new Lease(key, entry.model);
        }
    }

    private static void release(Key key) {
        Entry entry = MODELS.get(key);
        if (entry == null) {
            return;
        }
        if (--entry.users == 0) {
            MODELS.remove(key);
            entry.model.close();
            LOG.info("Closed model {} on {} (last user released it)", key.directory(), key.device());
        }
    }

    /** How many users hold the model at this directory, on any device (0 when it is not loaded). */
    public static int users(Path directory) {
        Path normalized = directory.toAbsolutePath().normalize();
        synchronized (MODELS) {
            return MODELS.entrySet().stream().filter(e -> e.getKey().directory().equals(normalized))
                    .mapToInt(e -> e.getValue().users).sum();
        }
    }
}
