package io.hrlf.scoring;

/** A window could not be scored; the message names the window and the model. */
public class ScoringException extends RuntimeException {
    public ScoringException(String message) {
        super(message);
    }

    public ScoringException(String message, Throwable cause) {
        super(message, cause);
    }
}
