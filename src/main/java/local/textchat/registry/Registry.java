package local.textchat.registry;

import java.util.Collection;
import java.util.Optional;

/**
 * Who is online and who is in a call with whom: the one place that answers "where does this
 * user live, and how does a message reach them". Knows nothing of JSON or WebSockets.
 */
public interface Registry {

    /**
     * Atomically claim {@code name} (already NFC and valid) for {@code connection}. With the
     * {@code token} of the name's current holder, the holder is resumed on this connection
     * instead; a wrong or absent token makes it a plain claim.
     */
    Claim claim(String name, Connection connection, String token);

    /** The user logged in on {@code connection}, if any. */
    Optional<User> userOn(Connection connection);

    /** The user currently holding {@code name} (compared case-insensitively), if any. */
    Optional<User> find(String name);

    /** Everyone holding a name now, suspended users included. */
    Collection<User> online();

    /** Put {@code a} and {@code b} in a call; false if either has gone away meanwhile. */
    boolean pair(User a, User b);

    /** Whether {@code a} and {@code b} are in a call. */
    boolean paired(User a, User b);

    /** End the call between {@code a} and {@code b}; false if there was none. */
    boolean unpair(User a, User b);

    /** Free whatever {@code connection} held: its name and its pairings. Empty if it held nothing. */
    Optional<Departure> release(Connection connection);

    /**
     * {@code connection} dropped without a close handshake: keep its user's name and pairings
     * for a resume, detached from the connection. Empty if it held nothing.
     */
    Optional<User> suspend(Connection connection);

    /** The grace period of a suspended {@code user} is over: release it unless it was resumed. */
    Optional<Departure> expire(User user);

    /** Forget everyone (server shutdown). */
    void clear();

    /** How many names are held. */
    int size();
}
