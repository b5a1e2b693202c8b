package local.textchat.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import local.textchat.protocol.Names;
import local.textchat.protocol.ServerMessage;

/**
 * The single-node registry: concurrent maps in this JVM. Reads (every relayed message asks
 * {@link #userOn} and {@link #paired}) take no lock; the rare changes of who is online and who
 * is paired take one lock, so a pairing can never outlive either of its users.
 */
@ApplicationScoped
public class LocalRegistry implements Registry {

    private final ConcurrentMap<String, User> byKey = new ConcurrentHashMap<>();
    private final ConcurrentMap<Connection, User> byConnection = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private final AtomicLong ids = new AtomicLong();
    private volatile int maxUsers = Integer.MAX_VALUE;

    /** Cap the number of held names (logins past it are refused as {@link Claim.Full}). */
    public void setMaxUsers(int maxUsers) {
        this.maxUsers = maxUsers;
    }

    @Override
    public Claim claim(String name, Connection connection, String token) {
        String key = Names.key(name);
        synchronized (lock) {
            User existing = byConnection.get(connection);
            if (existing != null) {
                return new Claim.AlreadyLoggedIn(existing);
            }
            User holder = byKey.get(key);
            if (holder != null) {
                if (!Tokens.matches(token, holder.token())) {
                    return new Claim.Taken();
                }
                Connection previous = holder.connection();
                byConnection.remove(previous, holder);
                holder.moveTo(connection, Tokens.next());
                byConnection.put(connection, holder);
                return new Claim.Resumed(holder, previous, namesExcept(holder));
            }
            if (byKey.size() >= maxUsers) {
                return new Claim.Full();
            }
            List<String> others = namesExcept(null);
            User user = new User(Long.toString(ids.incrementAndGet()), name, key, connection, Tokens.next());
            byKey.put(key, user);
            byConnection.put(connection, user);
            return new Claim.Claimed(user, others);
        }
    }

    @Override
    public Optional<User> userOn(Connection connection) {
        return Optional.ofNullable(byConnection.get(connection));
    }

    @Override
    public Optional<User> find(String name) {
        return Optional.ofNullable(byKey.get(Names.key(name)));
    }

    @Override
    public Collection<User> online() {
        return List.copyOf(byKey.values());
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
    public boolean unpair(User a, User b) {
        synchronized (lock) {
            return User.unlink(a, b);
        }
    }

    @Override
    public void relay(User from, User to, ServerMessage message) {
        to.send(message);
    }

    @Override
    public void announce(ServerMessage message, User except) {
        // Only users with a socket: a suspended user's messages would be dropped anyway.
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
    public Optional<Departure> expire(User user) {
        synchronized (lock) {
            if (!user.suspended() || !isCurrent(user)) {
                return Optional.empty();
            }
            return Optional.of(drop(user));
        }
    }

    @Override
    public void clear() {
        synchronized (lock) {
            byKey.values().forEach(u -> u.peers.clear());
            byKey.clear();
            byConnection.clear();
        }
    }

    @Override
    public int size() {
        return byKey.size();
    }

    /** Remove {@code user}'s name and pairings; the caller holds the lock. */
    private Departure drop(User user) {
        byKey.remove(user.key(), user);
        return new Departure(user, User.unlinkAll(user));
    }

    private List<String> namesExcept(User except) {
        List<String> names = new ArrayList<>(byKey.size());
        for (User u : byKey.values()) {
            if (u != except) {
                names.add(u.name());
            }
        }
        return names;
    }

    private boolean isCurrent(User user) {
        return byKey.get(user.key()) == user;
    }
}
