package io.hrlf.scoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hrlf.avro.DeadLetter;
import io.hrlf.ingest.DeadLetters;
import io.hrlf.ingest.RejectReason;
import io.hrlf.window.AssembledWindow;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A window the model could not score (or did not score in time), as a dead letter. It has no original Kafka record, so the
 * dead letter names the scorer as its source and carries the assembled window as JSON: the model's
 * exact input (values and masks per modality), enough to reproduce the failure offline.
 */
final class FailedWindows {
    /** {@code sourceTopic} of these dead letters: not a topic, the operator that refused the window. */
    static final String SOURCE = "hrlf-scorer";
    private static final ObjectMapper JSON = new ObjectMapper();

    private FailedWindows() {}

    static DeadLetter deadLetter(AssembledWindow window, String modelDirectory, Throwable error) {
        return DeadLetters.refusedByOperator(SOURCE, window.participantKey(), json(window),
                RejectReason.INFERENCE_FAILED,
                "model " + modelDirectory + " could not score " + window + ": " + rootCause(error));
    }

    /** A window whose score did not come back within the async timeout: the scorer hangs, or is far too slow. */
    static DeadLetter timedOut(AssembledWindow window, String modelDirectory) {
        return DeadLetters.refusedByOperator(SOURCE, window.participantKey(), json(window),
                RejectReason.SCORING_TIMED_OUT,
                "model " + modelDirectory + " did not score " + window + " within " + ScoringOptions.ASYNC_TIMEOUT.key());
    }

    static byte[] json(AssembledWindow window) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("callId", window.callId);
        fields.put("participantId", window.participantId);
        fields.put("windowStartMillis", window.windowStartMillis);
        fields.put("windowEndMillis", window.windowEndMillis);
        fields.put("revision", window.revision);
        fields.put("missingPattern", window.missingPattern().code());
        fields.put("frames", window.frames);
        fields.put("values", window.values);
        fields.put("masks", window.masks);
        try {
            return JSON.writeValueAsString(fields).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            return window.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    private static String rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause == error ? String.valueOf(error) : error + " (cause: " + cause + ")";
    }
}
