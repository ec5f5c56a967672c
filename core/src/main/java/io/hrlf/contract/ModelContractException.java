package io.hrlf.contract;

/** A model directory that cannot be served: missing, unreadable, or not matching the contract or configuration. */
public class ModelContractException extends RuntimeException {
    public ModelContractException(String message) {
        super(message);
    }

    public ModelContractException(String message, Throwable cause) {
        super(message, cause);
    }
}
