package local.textchat.registry;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import local.textchat.protocol.Names;
import local.textchat.protocol.ServerMessage;

/**
 * The single-node registry: concurrent maps in this JVM ({@link MapRegistry}). Reads (every
 * relayed message asks {@link #userOn} and {@link #paired}) take no lock; the rare changes of
 * who is online and who is paired take one lock, so a pairing can never outlive either of its users.
 */
@ApplicationScoped
public class LocalRegistry extends MapRegistry {

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
            Claim decided = decideHere(byKey.get(key), connection, token);
            if (decided != null) {
                return decided;
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
    public Optional<User> find(String name) {
        return Optional.ofNullable(byKey.get(Names.key(name)));
    }

    @Override
    public void relay(User from, User to, ServerMessage message) {
        to.send(message);
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
    protected Departure drop(User user) {
        byKey.remove(user.key(), user);
        return new Departure(user, User.unlinkAll(user));
    }
}
