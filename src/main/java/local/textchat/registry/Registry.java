package local.textchat.registry;

import java.util.Optional;

import local.textchat.protocol.Names;
import local.textchat.protocol.Relay;
import local.textchat.protocol.ServerMessage;

/**
 * Who is online and who is in a call with whom, and how a message reaches a user: what the
 * switchboard asks. Knows nothing of JSON or WebSockets.
 *
 * <p>Composed, the same in both modes: this node's {@link Users} (its sockets, everyone it knows
 * of, the calls), and a {@link NameStore} that decides who holds which name and reaches users on
 * other nodes ({@link LocalNames} on a single node; the cluster's node, over a shared store, in a
 * cluster). What happens elsewhere that this node's users must hear about is reported to the
 * {@link Events} given to {@link #listen}; so is every message routed to a user of this node, so
 * that one place ({@link Events#relayed}) applies the receiving side of the rules.
 */
public final class Registry {

    private final Users users;
    private final NameStore names;
    private volatile Events events = Events.NONE;

    public Registry(Users users, NameStore names) {
        this.users = users;
        this.names = names;
    }

    /** A single node's registry: names in memory, at most {@code maxUsers} of them. */
    public static Registry local(Users users, int maxUsers) {
        return new Registry(users, new LocalNames(users, maxUsers));
    }

    /** This node's users: the state behind every answer here. */
    public Users users() {
        return users;
    }

    /** The store that decides names: {@link LocalNames}, or the cluster's node. */
    public NameStore names() {
        return names;
    }

    /** Report what happens elsewhere, and every message routed to a user of this node, to {@code events}. */
    public void listen(Events events) {
        this.events = events;
        names.listen(events);
    }

    /**
     * Atomically claim {@code name} (already NFC and valid) for {@code connection}. With the
     * {@code token} of the name's current holder, the holder is resumed on this connection
     * instead; a wrong or absent token makes it a plain claim. <b>May block</b> in a cluster
     * (see {@link NameStore#claim}).
     *
     * @throws Unavailable if the claim needs the cluster's shared store and it cannot be reached
     */
    public Claim claim(String name, Connection connection, String token) {
        return names.claim(name, Names.key(name), connection, token);
    }

    /** The user logged in on {@code connection}, if any. */
    public Optional<User> userOn(Connection connection) {
        return users.on(connection);
    }

    /** The user holding {@code name} (compared case-insensitively) as this node knows it. Never blocks. */
    public Optional<User> find(String name) {
        return users.withKey(Names.key(name));
    }

    /**
     * The user holding {@code name} wherever it is: as {@link #find}, or, for a name this node has
     * not heard of yet, from the cluster's store. <b>May block</b> for a store's time-out; the user
     * found then counts as known here.
     */
    public Optional<User> reach(String name) {
        Optional<User> known = find(name);
        return known.isPresent() ? known : names.reach(Names.key(name));
    }

    /** Put {@code a} and {@code b} in a call unless either has gone away or already has {@code limit} calls. */
    public Pairing pair(User a, User b, int limit) {
        return users.pair(a, b, limit);
    }

    /** Whether {@code a} and {@code b} are in a call. */
    public boolean paired(User a, User b) {
        return users.paired(a, b);
    }

    /** The user {@code me} is in a call with under {@code name} (any case), if any. */
    public Optional<User> peerNamed(User me, String name) {
        return users.peerNamed(me, name);
    }

    /** End the call between {@code a} and {@code b}; false if there was none. */
    public boolean unpair(User a, User b) {
        return users.unpair(a, b);
    }

    /**
     * Hand {@code message} from {@code from} to {@code to}: for a user of this node, to
     * {@link Events#relayed} here; for a user elsewhere, to its node, whose {@code relayed} gets it.
     */
    public void route(User from, User to, Relay relay) {
        if (to.remote()) {
            names.forward(from, to, relay);
        } else {
            events.relayed(from, to, relay);
        }
    }

    /** Free whatever {@code connection} held: its name and its pairings. Empty if it held nothing. */
    public Optional<Departure> release(Connection connection) {
        return users.atomically(() -> users.detach(connection).map(this::drop));
    }

    /**
     * {@code connection} dropped without a close handshake: keep its user's name and pairings
     * for a resume, detached from the connection. Empty if it held nothing.
     */
    public Optional<User> suspend(Connection connection) {
        return users.atomically(() -> {
            Optional<User> user = users.on(connection);
            user.ifPresent(users::suspend);
            return user;
        });
    }

    /**
     * The grace period that began when {@code user} dropped from {@code droppedFrom} is over:
     * release it unless it resumed since. A user that resumed and dropped again is waiting out a
     * later grace period (its connection is another one), which this one must not cut short.
     */
    public Optional<Departure> expire(User user, Connection droppedFrom) {
        return users.atomically(() -> !user.suspended() || user.remote() || !users.isCurrent(user)
                        || user.connection() != droppedFrom
                ? Optional.empty()
                : Optional.of(drop(user)));
    }

    /** Forget everyone (server shutdown); a cluster's node also leaves the cluster. */
    public void clear() {
        names.close();
        users.clear();
    }

    /** How many names are held (in a cluster: cluster-wide, as this node knows it). */
    public int size() {
        return users.size();
    }

    /** A user of this node leaves for good: its name is freed and its calls end. */
    private Departure drop(User user) {
        Departure departure = users.remove(user);
        names.released(user);
        return departure;
    }

    /** What other nodes of a cluster did that this node's users must hear about, and what reaches them. */
    public interface Events {

        /** Nobody listening (a registry before its switchboard exists). */
        Events NONE = new Events() {
        };

        /**
         * {@code from} sent {@code message} to {@code to}, a user of this node: from this node, or
         * from another node of a cluster. The receiving side of the rules applies here.
         */
        default void relayed(User from, User to, Relay relay) {
        }

        /** {@code user}, on another node, logged in. */
        default void joined(User user) {
        }

        /** A user on another node went away, or its node died; {@code formerPeers} are on this node. */
        default void departed(Departure departure) {
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
    public static final class Unavailable extends RuntimeException {

        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
