package io.hrlf.contract;

import java.nio.charset.StandardCharsets;

/**
 * The key of everything about one call participant: the Kafka key of every feature, score and
 * dead-letter record, and the job's keyed-state key, written {@code callId/participantId}.
 *
 * <p>It lives in {@code core}, not in the job, because the producers of the keys (the demo's
 * simulator, the test kit's call streams, benchmarks) must build exactly the key the job reads,
 * and all of them depend on {@code core} while none may depend on the job's jar.
 *
 * @param callId the call, never blank, without {@link #SEPARATOR}
 * @param participantId the participant within the call, never blank, without {@link #SEPARATOR}
 */
public record ParticipantKey(String callId, String participantId) {
    /** Separates the call from the participant; neither id may contain it, so the first one splits a key. */
    public static final char SEPARATOR = '/';

    public ParticipantKey {
        requireValidId("callId", callId);
        requireValidId("participantId", participantId);
    }

    /** Reads {@code callId/participantId}; fails, naming the key, when it is not one. */
    public static ParticipantKey parse(String key) {
        int split = key == null ? -1 : key.indexOf(SEPARATOR);
        if (split < 0) {
            throw new IllegalArgumentException("malformed participant key '" + key + "': expected callId"
                    + SEPARATOR + "participantId");
        }
        try {
            return new ParticipantKey(key.substring(0, split), key.substring(split + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed participant key '" + key + "': " + e.getMessage(), e);
        }
    }

    /**
     * Why {@code id} cannot be a call or participant id, or null when it can. Length limits are
     * configuration, not part of the key, and are checked by the job's validator.
     */
    public static String idProblem(String field, String id) {
        if (id == null || id.isBlank()) {
            return field + " is blank";
        }
        if (id.indexOf(SEPARATOR) >= 0) {
            return field + " contains '" + SEPARATOR + "', the key separator";
        }
        return null;
    }

    private static void requireValidId(String field, String id) {
        String problem = idProblem(field, id);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** The Kafka record key: the UTF-8 bytes of {@link #toString()}. */
    public byte[] toBytes() {
        return toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code callId/participantId}. */
    @Override
    public String toString() {
        return callId + SEPARATOR + participantId;
    }
}
