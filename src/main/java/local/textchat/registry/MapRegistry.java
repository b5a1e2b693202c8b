package local.textchat.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import local.textchat.protocol.Names;
import local.textchat.protocol.ServerMessage;

/**
 * What the single-node and the cluster registry share: this node's view of who is online (by
 * name key) and which of them have a socket here (by connection). Reads take no lock; changes of
 * who is online or paired take {@link #lock}, so a pairing can never outlive either of its users.
 */
public abstract class MapRegistry implements Registry {

    /** Everyone online, as far as this node knows, by name key. */
    protected final ConcurrentMap<String, User> byKey = new ConcurrentHashMap<>();
    /** The users with a socket on this node. */
    protected final ConcurrentMap<Connection, User> byConnection = new ConcurrentHashMap<>();
    /** Held while who is online or who is paired changes. */
    protected final Object lock = new Object();

    @Override
    public Optional<User> userOn(Connection connection) {
        return Optional.ofNullable(byConnection.get(connection));
    }

    @Override
    public boolean pair(User a, User b) {
        synchronized (lock) {
            if (!isCurrent(a) || !isCurrent(b)) {
                return false;
            }
            User.link(a, b);
            return true;
        }
    }

    @Override
    public boolean paired(User a, User b) {
        return a.peers.contains(b);
    }

    @Override
    public Optional<User> peerNamed(User me, String name) {
        // A call has one peer or two: scanning them beats finding the name among everyone (and,
        // in a cluster, asking the store about a name this node does not know).
        for (User peer : me.peers) {
            if (peer.name().equals(name)) {
                return Optional.of(peer);
            }
        }
        String key = Names.key(name);
        for (User peer : me.peers) {
            if (peer.key().equals(key)) {
                return Optional.of(peer);
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean unpair(User a, User b) {
        synchronized (lock) {
            return User.unlink(a, b);
        }
    }

    @Override
    public void announce(ServerMessage message, User except) {
        // Only users with a socket here: a suspended user's messages would be dropped anyway.
        for (User user : byConnection.values()) {
            if (user != except) {
                user.send(message);
            }
        }
    }

    @Override
    public Optional<Departure> release(Connection connection) {
        synchronized (lock) {
            User user = byConnection.remove(connection);
            return user == null ? Optional.empty() : Optional.of(drop(user));
        }
    }

    @Override
    public Optional<User> suspend(Connection connection) {
        synchronized (lock) {
            User user = byConnection.remove(connection);
            if (user != null) {
                user.suspend();
            }
            return Optional.ofNullable(user);
        }
    }

    @Override
    public int size() {
        return byKey.size();
    }

    /** A user of this node leaves for good: free its name and end its calls. Called under the lock. */
    protected abstract Departure drop(User user);

    /** Whether {@code user} is still the one online under its name (not a departed or replaced one). */
    protected boolean isCurrent(User user) {
        return byKey.get(user.key()) == user;
    }

    /**
     * The part of a claim this node decides alone, under the lock: {@code connection} already
     * logged in, or {@code heldHere} (the user holding the name on this node, or null) resumed
     * with the right token or refused. Null when neither applies and the caller decides.
     */
    protected Claim decideHere(User heldHere, Connection connection, String token) {
        User existing = byConnection.get(connection);
        if (existing != null) {
            return new Claim.AlreadyLoggedIn(existing);
        }
        if (heldHere == null) {
            return null;
        }
        if (!Tokens.matches(token, heldHere.token())) {
            return new Claim.Taken();
        }
        return resumeHere(heldHere, connection, Tokens.next());
    }

    /** {@code holder} resumes on {@code connection} with a new token. Called under the lock. */
    protected Claim.Resumed resumeHere(User holder, Connection connection, String token) {
        Connection previous = holder.connection();
        byConnection.remove(previous, holder);
        holder.moveTo(connection, token);
        byConnection.put(connection, holder);
        return new Claim.Resumed(holder, previous, namesExcept(holder));
    }

    /** The names online, but for {@code except}'s (null: all). */
    protected List<String> namesExcept(User except) {
        List<String> names = new ArrayList<>(byKey.size());
        for (User u : byKey.values()) {
            if (u != except) {
                names.add(u.name());
            }
        }
        return names;
    }
}
