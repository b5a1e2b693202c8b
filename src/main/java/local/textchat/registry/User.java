package local.textchat.registry;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One logged-in name and the socket it is on. Identity matters: pairings point at this
 * object, so a later user who takes the same name is never mistaken for this one.
 */
public final class User {

    private final String name;
    private final String key;
    private final Connection connection;
    /** The users this one is in a call with; changed only under the registry's lock. */
    final Set<User> peers = ConcurrentHashMap.newKeySet();

    User(String name, String key, Connection connection) {
        this.name = name;
        this.key = key;
        this.connection = connection;
    }

    /** The name as the user chose it (NFC). */
    public String name() {
        return name;
    }

    /** The case-folded key the name is unique under. */
    public String key() {
        return key;
    }

    public Connection connection() {
        return connection;
    }

    /** Queue {@code message} for this user. */
    public void send(local.textchat.protocol.ServerMessage message) {
        connection.send(message);
    }

    @Override
    public String toString() {
        return name + "@" + connection.id();
    }
}
