package local.textchat.registry;

import java.util.Optional;

import local.textchat.protocol.ServerMessage;

/**
 * Who is online and who is in a call with whom: the one place that answers "where does this
 * user live, and how does a message reach them". Knows nothing of JSON or WebSockets.
 *
 * <p>{@link LocalRegistry} keeps everything in this JVM. {@link ClusterRegistry} shares names,
 * resume tokens and presence with the other nodes of a cluster and reaches users on other nodes
 * through their node; what happens on other nodes that this node's users must hear about is
 * reported to the {@link Events} given to {@link #listen}.
 */
public interface Registry {

    /**
     * Atomically claim {@code name} (already NFC and valid) for {@code connection}. With the
     * {@code token} of the name's current holder, the holder is resumed on this connection
     * instead; a wrong or absent token makes it a plain claim.
     *
     * @throws Unavailable if the claim needs the cluster's shared store and it cannot be reached
     */
    Claim claim(String name, Connection connection, String token);

    /** The user logged in on {@code connection}, if any. */
    Optional<User> userOn(Connection connection);

    /** The user currently holding {@code name} (compared case-insensitively), if any. */
    Optional<User> find(String name);

    /** Put {@code a} and {@code b} in a call; false if either has gone away meanwhile. */
    boolean pair(User a, User b);

    /** Whether {@code a} and {@code b} are in a call. */
    boolean paired(User a, User b);

    /** The user {@code me} is in a call with under {@code name} (any case), if any. */
    Optional<User> peerNamed(User me, String name);

    /** End the call between {@code a} and {@code b}; false if there was none. */
    boolean unpair(User a, User b);

    /**
     * Hand {@code message} from {@code from} to {@code to}: straight to its socket when it is on
     * this node, through its node otherwise (where {@link Events#relayed} applies the receiving
     * side of the rules).
     */
    void relay(User from, User to, ServerMessage message);

    /**
     * Send {@code message} to every user whose socket is on this node, except {@code except}
     * (may be null). Other nodes tell their own users, from the events they get.
     */
    void announce(ServerMessage message, User except);

    /** Free whatever {@code connection} held: its name and its pairings. Empty if it held nothing. */
    Optional<Departure> release(Connection connection);

    /**
     * {@code connection} dropped without a close handshake: keep its user's name and pairings
     * for a resume, detached from the connection. Empty if it held nothing.
     */
    Optional<User> suspend(Connection connection);

    /** The grace period of a suspended {@code user} is over: release it unless it was resumed. */
    Optional<Departure> expire(User user);

    /** Report what happens on other nodes to {@code events} (a single node has nothing to report). */
    default void listen(Events events) {
    }

    /** Forget everyone (server shutdown); a cluster registry also leaves the cluster. */
    void clear();

    /** How many names are held (in a cluster: cluster-wide, as this node knows it). */
    int size();

    /** What other nodes of a cluster did that this node's users must hear about. */
    interface Events {

        /** Nobody listening (a registry before its switchboard exists). */
        Events NONE = new Events() {
        };

        /** {@code user}, on another node, logged in. */
        default void joined(User user) {
        }

        /** A user on another node went away, or its node died; {@code formerPeers} are on this node. */
        default void departed(Departure departure) {
        }

        /** {@code from}, on another node, sent {@code message} to {@code to}, on this node. */
        default void relayed(User from, User to, ServerMessage message) {
        }

        /** {@code user} resumed on another node: its socket here, {@code previous}, is to be closed. */
        default void resumedElsewhere(User user, Connection previous) {
        }

        /**
         * This node lost the name of one of its users (it was cut off from the cluster for longer
         * than the lease, and someone else took the name meanwhile): close its socket.
         */
        default void lost(Departure departure) {
        }
    }

    /** The cluster's shared store cannot be reached, so the operation could not be done. */
    final class Unavailable extends RuntimeException {

        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
