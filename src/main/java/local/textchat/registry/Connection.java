package local.textchat.registry;

import local.textchat.protocol.Codec;
import local.textchat.protocol.ServerMessage;

/**
 * How a message reaches one user's socket. Sends are asynchronous and never throw: a
 * connection that cannot keep up or has failed closes itself.
 */
public interface Connection {

    /** A short id for log lines. */
    String id();

    /**
     * Queue a text frame (an encoded {@link ServerMessage}) for this socket, after everything queued
     * before it. A message for many is encoded once and the same frame sent to each.
     */
    void send(String frame);

    /** Queue a frame relayed from another user (a socket of this node times it for the metrics). */
    default void relay(String frame) {
        send(frame);
    }

    /** Encode {@code message} and queue it. */
    default void send(ServerMessage message) {
        send(Codec.encode(message));
    }

    /** Close the socket with a WebSocket close code. */
    void close(int code, String reason);

    /** Whether the socket is still open (a claim that waited on a cluster's store checks it after). */
    default boolean isOpen() {
        return true;
    }

    /** Whether the socket is on this node (false for a user whose socket is on another node of a cluster). */
    default boolean local() {
        return true;
    }
}
