package local.textchat.registry;

import java.util.Optional;

import local.textchat.protocol.Relay;

/**
 * Who may hold which name, and how a message reaches a user whose socket is not on this node:
 * {@link LocalNames} for a single node, the cluster's node for one node of a cluster
 * ({@code local.textchat.cluster.ClusterNode}, which keeps names in a shared store). The
 * {@link Users} it is given hold this node's view, and it keeps that view current.
 */
public interface NameStore {

    /**
     * Claim {@code name} (NFC, valid; {@code key} its {@link local.textchat.protocol.Names#key})
     * for {@code connection}, or resume its holder there with the holder's {@code token}.
     * <b>May block</b>: a cluster asks its shared store (for at most a couple of seconds) and may
     * wait for another node to hand a resumed user's calls over.
     *
     * @throws Registry.Unavailable if the claim needs a store that cannot be reached
     */
    Claim claim(String name, String key, Connection connection, String token);

    /**
     * The user holding the name with {@code key} on another node, for a name this node has not
     * heard of yet (a login elsewhere is answered before its news arrives here). <b>May block</b>:
     * a cluster asks its store. The user found then counts as known to this node, as if the news
     * had come. Empty on a single node.
     */
    default Optional<User> reach(String key) {
        return Optional.empty();
    }

    /** Hand {@code relay} from {@code from} to {@code to}, whose socket is on another node. Never blocks. */
    default void forward(User from, User to, Relay relay) {
        throw new IllegalStateException(to + " is not on this node, and a single node has no other");
    }

    /** {@code user} (of this node) left for good: free its name. Called inside {@link Users#atomically}. */
    default void released(User user) {
    }

    /** Report what happens on other nodes to {@code events}. */
    default void listen(Registry.Events events) {
    }

    /** Whether names are kept in a store shared with other nodes (a cluster). */
    default boolean shared() {
        return false;
    }

    /** Whether the store is in reach now (always, for this node's own memory). */
    default boolean reachable() {
        return true;
    }

    /** The application stops: give up every name held (before the view is cleared) and stop any thread. */
    default void close() {
    }
}
