package io.hrlf.wire;

/** Bytes that are not a record this release can read. */
public class WireFormatException extends Exception {
    public enum Kind { MALFORMED, UNKNOWN_SCHEMA }

    private final Kind kind;

    public WireFormatException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
