package io.hrlf.golden;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Bytes checked in under {@code src/test/resources/golden/}, written once by an earlier release's
 * serializer. Never regenerate them: they are what old checkpoints and savepoints hold.
 */
public final class GoldenBytes {
    private GoldenBytes() {}

    public static byte[] read(String name) {
        try (InputStream in = GoldenBytes.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource golden/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read golden/" + name, e);
        }
    }
}
