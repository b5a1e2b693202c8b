package local.textchat.protocol;

import java.nio.charset.StandardCharsets;

import jakarta.websocket.DecodeException;
import jakarta.websocket.Decoder;

/**
 * Text frames to {@link ClientMessage}s, refusing frames over a size limit first.
 *
 * <p>The endpoint calls this itself rather than listing it in {@code @ServerEndpoint(decoders)}:
 * containers differ in whether they enforce the session's text buffer size (Tomcat does, Tyrus
 * does not) and in how they hand a {@link DecodeException} on, and a decoder they create cannot
 * be given the configured limit. Called directly, every container gets the same answers.
 */
public final class MessageDecoder implements Decoder.Text<ClientMessage> {

    private final int maxBytes;

    public MessageDecoder(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The message in {@code text}; throws {@link Oversized} or {@link Rejected} when there is none. */
    @Override
    public ClientMessage decode(String text) throws DecodeException {
        if (isOversized(text)) {
            throw new Oversized(text, maxBytes);
        }
        try {
            return Codec.decode(text);
        } catch (ProtocolViolation violation) {
            throw new Rejected(text, violation);
        }
    }

    /** Always true: a frame that is not a valid message still deserves an error reply. */
    @Override
    public boolean willDecode(String text) {
        return text != null;
    }

    private boolean isOversized(String text) {
        // A UTF-16 unit is at most 3 UTF-8 bytes, so short frames need no exact count.
        return (long) text.length() * 3 > maxBytes
                && text.getBytes(StandardCharsets.UTF_8).length > maxBytes;
    }

    private static String excerpt(String text) {
        return text.length() > 200 ? text.substring(0, 200) : text;
    }

    /** A frame over the size limit: the socket is closed with 1009. */
    public static final class Oversized extends DecodeException {

        private static final long serialVersionUID = 1L;

        Oversized(String text, int maxBytes) {
            super(excerpt(text), "frame larger than " + maxBytes + " bytes");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // the client's mistake, not a bug: no stack trace
        }
    }

    /** A frame that is not a valid message: answered with {@link #violation()}'s error. */
    public static final class Rejected extends DecodeException {

        private static final long serialVersionUID = 1L;

        private final transient ProtocolViolation violation;

        Rejected(String text, ProtocolViolation violation) {
            super(excerpt(text), violation.getMessage());
            this.violation = violation;
        }

        public ProtocolViolation violation() {
            return violation;
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
