package local.textchat.protocol;

/** The {@code code} of an {@code error} message, as PROTOCOL.md lists them. */
public enum ErrorCode {
    BAD_JSON("bad-json"),
    BAD_FRAME("bad-frame"),
    UNKNOWN_TYPE("unknown-type"),
    INVALID_MESSAGE("invalid-message"),
    NOT_LOGGED_IN("not-logged-in"),
    NO_SUCH_USER("no-such-user"),
    NOT_IN_CALL("not-in-call"),
    RATE_LIMITED("rate-limited"),
    ALREADY_LOGGED_IN("already-logged-in");

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
