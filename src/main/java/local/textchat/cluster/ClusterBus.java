package local.textchat.cluster;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import local.textchat.registry.Registry;

/**
 * The shared store and message bus of a cluster, as {@link ClusterNode} needs it (Redis in
 * {@code local.textchat.cluster.redis.RedisBus}). Calls that answer something block for at most a
 * short timeout and throw {@link Registry.Unavailable} when the store cannot be reached; sends
 * never block and are dropped while it cannot be reached.
 */
public interface ClusterBus {

    /** The value of a held name in the store: whose it is, where, and the hash of its resume token. */
    record Lease(String key, String user, String node, String tokenHash, String name) {
    }

    /** The outcome of {@link #claim}. */
    enum Outcome { CLAIMED, RESUMED, TAKEN }

    /** {@code previous}: the lease that held the name before (null if it was free). */
    record ClaimResult(Outcome outcome, Lease previous) {
    }

    /** The outcome of {@link #renew}: leases now held by someone else, and whether this node had been declared dead. */
    record Renewal(List<Lease> lost, boolean wasDeclaredDead) {
    }

    /** This node's id, unique in the cluster. */
    String node();

    /**
     * Start listening: {@code inbox} gets every envelope for this node or for all, one at a time and in
     * order; {@code connected} runs each time the link to the store is (re)established.
     */
    void start(Consumer<Envelope> inbox, Runnable connected);

    /**
     * Atomically take {@code lease.key()} for {@code lease} if it is free; or, if {@code presentedTokenHash}
     * matches the holder's, move the holder (keeping its user id and name) to this node with
     * {@code lease.tokenHash()}; otherwise leave it. {@code knewUsers}: whether this node knows of
     * users in the cluster, so that a store that lost its data is recognised as such (claims then
     * wait, as {@link Registry.Unavailable}, until the nodes have renewed their names).
     */
    ClaimResult claim(Lease lease, String presentedTokenHash, boolean knewUsers);

    /** Who holds {@code key} now, if anyone (asked of the store, not of any node's view). */
    Optional<Lease> holder(String key);

    /** Refresh this node's liveness and the leases it holds, re-taking any that vanished. */
    Renewal renew(Collection<Lease> leases, boolean knewUsers);

    /** Free {@code lease} if it is still held as given (never blocks). */
    void release(Lease lease);

    /** Of {@code nodes}, those whose liveness has lapsed. */
    Set<String> dead(Set<String> nodes);

    /** Mark {@code node} dead (so that it learns it when it comes back) and free {@code leases} it held. */
    void bury(String node, Collection<Lease> leases);

    /** Send to one node's inbox; null: to every node (this one's own broadcasts are not delivered back). */
    void send(String node, Envelope envelope);

    /** Whether the link to the store is up now. */
    boolean connected();

    /** How long a lease lives without renewal, in milliseconds. */
    long leaseMillis();

    /** Leave: drop the connections and stop every thread. */
    void close();
}
