package local.textchat.protocol;

/**
 * A frame the protocol refuses, with the {@link ErrorCode} the client is told. Expected
 * client mistakes are not bugs, so this carries no stack trace.
 */
public final class ProtocolViolation extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public ProtocolViolation(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    /** The error message to send back. */
    public ServerMessage.Error toReply() {
        return ServerMessage.Error.of(code, getMessage());
    }
}
