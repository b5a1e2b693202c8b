package local.textchat.registry;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import local.textchat.protocol.ServerMessage;

/**
 * One logged-in name and the socket it is on now. Identity matters: pairings point at this
 * object, so a later user who takes the same name is never mistaken for this one. A resumed
 * login keeps the object (and so its pairings) and moves it to the new socket.
 *
 * <p>In a cluster, a user whose socket is on another node is represented here by a User whose
 * connection is not {@linkplain Connection#local() local}; its {@link #id} is the same on every node.
 */
public final class User {

    private final String id;
    private final String name;
    private final String key;
    private volatile Connection connection;
    private volatile String token;
    /** Its socket dropped without a close handshake; the name is held for a resume. */
    private volatile boolean suspended;
    /** The users this one is in a call with; changed only by {@link Users}, under its lock. */
    final Set<User> peers = ConcurrentHashMap.newKeySet();

    User(String id, String name, String key, Connection connection, String token) {
        this.id = id;
        this.name = name;
        this.key = key;
        this.connection = connection;
        this.token = token;
    }

    /** Unique for this login, across every node of a cluster; kept by a resume. */
    public String id() {
        return id;
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

    /** The resume token handed out at the latest login (null for a user on another node). */
    public String token() {
        return token;
    }

    public boolean suspended() {
        return suspended;
    }

    /** Whether this user's socket is on another node of the cluster. */
    public boolean remote() {
        return !connection.local();
    }

    /** Queue {@code message} for this user (dropped while suspended: its socket is gone). */
    public void send(ServerMessage message) {
        connection.send(message);
    }

    /** Queue a frame relayed to this user from another. */
    public void relay(String frame) {
        connection.relay(frame);
    }

    /** Queue an encoded frame for this user. */
    public void send(String frame) {
        connection.send(frame);
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
