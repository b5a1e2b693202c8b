package local.textchat.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import local.textchat.protocol.Names;

/**
 * Who is online as this node knows it, which of them have a socket here, and who is in a call
 * with whom: the application's one owner of that state (the container's {@code @ApplicationScoped}
 * bean where there is CDI). Users and calls change only through this class.
 *
 * <p>Reads take no lock (every relayed message asks {@link #on} and {@link #paired}); changes take
 * one lock, so a pairing can never outlive either of its users. A change made of several steps
 * that must look like one to everyone else runs inside {@link #atomically}.
 *
 * <p>In a cluster it also holds the users whose socket is on another node (their connection is
 * not {@linkplain Connection#local() local}); a single node has only its own.
 */
@ApplicationScoped
public class Users {

    /** Everyone online, as far as this node knows, by name key, in key order (the directory's order). */
    private final ConcurrentSkipListMap<String, User> byKey = new ConcurrentSkipListMap<>();
    /** The same users by login id. */
    private final ConcurrentMap<String, User> byId = new ConcurrentHashMap<>();
    /** The users with a socket on this node. */
    private final ConcurrentMap<Connection, User> byConnection = new ConcurrentHashMap<>();
    private final Object lock = new Object();

    // ---- reads

    /** The user holding the name with {@code key} (see {@link Names#key}), if this node knows of one. */
    public Optional<User> withKey(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    /** The user with login id {@code id}, if this node knows of one. */
    public Optional<User> withId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The user logged in on {@code connection} (a socket of this node), if any. */
    public Optional<User> on(Connection connection) {
        return Optional.ofNullable(byConnection.get(connection));
    }

    /** The users with a socket on this node. */
    public Collection<User> here() {
        return byConnection.values();
    }

    /** Everyone this node knows of. */
    public Collection<User> everyone() {
        return byId.values();
    }

    /** How many names are held, as this node knows it. */
    public int size() {
        return byKey.size();
    }

    /**
     * Up to {@code limit} users whose name key starts with {@code prefix}'s key ("" for everyone),
     * in key order, leaving out {@code except} (may be null).
     */
    public List<User> ordered(String prefix, int limit, User except) {
        List<User> found = new ArrayList<>(Math.min(limit, 64));
        for (User u : withPrefix(prefix).values()) {
            if (found.size() >= limit) {
                break;
            }
            if (u != except) {
                found.add(u);
            }
        }
        return found;
    }

    /** How many users' name keys start with {@code prefix}'s key, not counting {@code except} (may be null). */
    public int countPrefix(String prefix, User except) {
        if (prefix.isEmpty()) {
            return byKey.size() - (except != null && byKey.get(except.key()) == except ? 1 : 0);
        }
        int n = 0;
        for (User u : withPrefix(prefix).values()) {
            if (u != except) {
                n++;
            }
        }
        return n;
    }

    private java.util.NavigableMap<String, User> withPrefix(String prefix) {
        if (prefix.isEmpty()) {
            return byKey;
        }
        String key = Names.key(prefix);
        return byKey.subMap(key, true, key + Character.MAX_VALUE, false);
    }

    /** Whether {@code user} is still the one online under its id (not one that departed or was replaced). */
    public boolean isCurrent(User user) {
        return byId.get(user.id()) == user;
    }

    /** Whether {@code a} and {@code b} are in a call. */
    public boolean paired(User a, User b) {
        return a.peers.contains(b);
    }

    /** The users {@code user} is in a call with. */
    public List<User> peersOf(User user) {
        return List.copyOf(user.peers);
    }

    /** The user {@code me} is in a call with under {@code name} (any case), if any. */
    public Optional<User> peerNamed(User me, String name) {
        // A user has few calls: scanning them beats finding the name among everyone (and, in a
        // cluster, asking the store about a name this node does not know).
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

    // ---- changes

    /** Run {@code change} as one step: no other change to users or calls is seen in the middle of it. */
    public <T> T atomically(Supplier<T> change) {
        synchronized (lock) {
            return change.get();
        }
    }

    /** Run {@code change} as one step. */
    public void atomically(Runnable change) {
        synchronized (lock) {
            change.run();
        }
    }

    /** A new user, online under {@code key} on {@code connection} (a socket here, or a user elsewhere). */
    public User add(String id, String name, String key, Connection connection, String token) {
        synchronized (lock) {
            User user = new User(id, name, key, connection, token);
            byKey.put(key, user);
            byId.put(id, user);
            if (connection.local()) {
                byConnection.put(connection, user);
            }
            return user;
        }
    }

    /** {@code user} (already known) is now online under its key again, replacing whoever was. */
    public void holdKey(User user) {
        synchronized (lock) {
            byKey.put(user.key(), user);
            byId.put(user.id(), user);
        }
    }

    /** {@code user} is now on {@code connection} (here or elsewhere), with {@code token} (null elsewhere). */
    public void move(User user, Connection connection, String token) {
        synchronized (lock) {
            byConnection.remove(user.connection(), user);
            user.moveTo(connection, token);
            if (connection.local()) {
                byConnection.put(connection, user);
            }
        }
    }

    /** The socket {@code connection} no longer carries its user (if any), who stays online. */
    public Optional<User> detach(Connection connection) {
        synchronized (lock) {
            return Optional.ofNullable(byConnection.remove(connection));
        }
    }

    /** {@code user}'s socket dropped: its name and calls are held for a resume. */
    public void suspend(User user) {
        synchronized (lock) {
            byConnection.remove(user.connection(), user);
            user.suspend();
        }
    }

    /** Forget {@code user} and end its calls; the former peers reported are the users with a socket here. */
    public Departure remove(User user) {
        synchronized (lock) {
            byId.remove(user.id(), user);
            byKey.remove(user.key(), user);
            byConnection.remove(user.connection(), user);
            List<User> peers = new ArrayList<>();
            for (User peer : List.copyOf(user.peers)) {
                peer.peers.remove(user);
                if (peer.connection().local()) {
                    peers.add(peer);
                }
            }
            user.peers.clear();
            return new Departure(user, peers);
        }
    }

    /**
     * Put {@code a} and {@code b} in a call unless either already has {@code limit} calls (a call
     * they are in already stays: a renegotiation).
     */
    public Pairing pair(User a, User b, int limit) {
        synchronized (lock) {
            if (!isCurrent(a) || !isCurrent(b)) {
                return Pairing.GONE;
            }
            if (a.peers.contains(b)) {
                return Pairing.PAIRED;
            }
            if (a.peers.size() >= limit || b.peers.size() >= limit) {
                return Pairing.BUSY;
            }
            a.peers.add(b);
            b.peers.add(a);
            return Pairing.PAIRED;
        }
    }

    /** Put {@code a} and {@code b} in a call, whatever their number of calls; false if either has gone away meanwhile. */
    public boolean pair(User a, User b) {
        synchronized (lock) {
            if (!isCurrent(a) || !isCurrent(b)) {
                return false;
            }
            a.peers.add(b);
            b.peers.add(a);
            return true;
        }
    }

    /** End the call between {@code a} and {@code b}; false if there was none. */
    public boolean unpair(User a, User b) {
        synchronized (lock) {
            boolean was = a.peers.remove(b);
            b.peers.remove(a);
            return was;
        }
    }

    /** Forget everyone (shutdown). */
    public void clear() {
        synchronized (lock) {
            byId.values().forEach(u -> u.peers.clear());
            byKey.clear();
            byId.clear();
            byConnection.clear();
        }
    }

    /**
     * The part of a claim of the name with {@code key} that this node decides alone: the socket is
     * already logged in; or a user of this node holds the name and is resumed on {@code connection}
     * (the right {@code token}) or keeps it (taken). Null when neither applies and the name store
     * decides. Call inside {@link #atomically}, with what follows.
     */
    public Claim decideHere(String key, Connection connection, String token) {
        User existing = byConnection.get(connection);
        if (existing != null) {
            return new Claim.AlreadyLoggedIn(existing);
        }
        User holder = byKey.get(key);
        if (holder == null || !holder.connection().local()) {
            return null;
        }
        if (!Tokens.matches(token, holder.token())) {
            return new Claim.Taken();
        }
        return resume(holder, connection, Tokens.next());
    }

    /** {@code holder} resumes on {@code connection} with a new token. */
    public Claim.Resumed resume(User holder, Connection connection, String token) {
        synchronized (lock) {
            Connection previous = holder.connection();
            move(holder, connection, token);
            return new Claim.Resumed(holder, previous);
        }
    }
}
