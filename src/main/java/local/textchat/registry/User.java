package local.textchat.registry;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import local.textchat.protocol.ServerMessage;

/**
 * One logged-in name and the socket it is on now. Identity matters: pairings point at this
 * object, so a later user who takes the same name is never mistaken for this one. A resumed
 * login keeps the object (and so its pairings) and moves it to the new socket.
 */
public final class User {

    private final String name;
    private final String key;
    private volatile Connection connection;
    private volatile String token;
    /** Its socket dropped without a close handshake; the name is held for a resume. */
    private volatile boolean suspended;
    /** The users this one is in a call with; changed only under the registry's lock. */
    final Set<User> peers = ConcurrentHashMap.newKeySet();

    User(String name, String key, Connection connection, String token) {
        this.name = name;
        this.key = key;
        this.connection = connection;
        this.token = token;
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

    /** The resume token handed out at the latest login. */
    public String token() {
        return token;
    }

    public boolean suspended() {
        return suspended;
    }

    /** Queue {@code message} for this user (dropped while suspended: its socket is gone). */
    public void send(ServerMessage message) {
        connection.send(message);
    }

    void moveTo(Connection newConnection, String newToken) {
        connection = newConnection;
        token = newToken;
        suspended = false;
    }

    void suspend() {
        suspended = true;
    }

    @Override
    public String toString() {
        return name + "@" + connection.id();
    }
}
