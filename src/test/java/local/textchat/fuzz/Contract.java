package local.textchat.fuzz;

import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * What PROTOCOL.md promises a client may ever see, written out independently of the server's
 * enums so that a code added to the server but not to the contract (or the other way round)
 * fails the fuzzers instead of passing silently.
 */
final class Contract {

    /** PROTOCOL.md, Error codes. */
    static final Set<String> ERROR_CODES = Set.of("bad-json", "bad-frame", "unknown-type", "invalid-message",
            "not-logged-in", "no-such-user", "not-in-call", "rate-limited", "already-logged-in");

    /** The error codes a frame can earn from its text alone, before any state is consulted. */
    static final Set<String> DECODER_CODES = Set.of("bad-json", "unknown-type", "invalid-message");

    /** PROTOCOL.md, Server → client: every {@code type} the server may send. */
    static final Set<String> SERVER_TYPES = Set.of("login", "offer", "answer", "candidate", "leave", "decline",
            "online", "offline", "pong", "who", "ice-servers", "error");

    /** PROTOCOL.md, Server → client: the {@code reason} of a failed login. */
    static final Set<String> LOGIN_REFUSALS = Set.of("taken", "invalid-name", "already-logged-in", "unauthorized",
            "server-full");

    /** PROTOCOL.md, Close codes. */
    static final Set<Integer> CLOSE_CODES = Set.of(1000, 1001, 1008, 1009, 4001);

    private Contract() {
    }

    /**
     * Whether {@code text} can travel in a WebSocket text frame: UTF-8 has no encoding for an
     * unpaired surrogate, and containers refuse (Tyrus: {@code java.lang.Error}) to send one.
     */
    static boolean sendable(String text) {
        CharsetEncoder utf8 = StandardCharsets.UTF_8.newEncoder();
        return utf8.canEncode(text);
    }
}
