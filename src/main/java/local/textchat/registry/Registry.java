package local.textchat.registry;

import java.util.Collection;
import java.util.Optional;

/**
 * Who is online and who is in a call with whom: the one place that answers "where does this
 * user live, and how does a message reach them". Knows nothing of JSON or WebSockets.
 */
public interface Registry {

    /** Atomically claim {@code name} (already NFC and valid) for {@code connection}. */
    Claim claim(String name, Connection connection);

    /** The user logged in on {@code connection}, if any. */
    Optional<User> userOn(Connection connection);

    /** The user currently holding {@code name} (compared case-insensitively), if any. */
    Optional<User> find(String name);

    /** Everyone logged in now. */
    Collection<User> online();

    /** Put {@code a} and {@code b} in a call; false if either has gone away meanwhile. */
    boolean pair(User a, User b);

    /** Whether {@code a} and {@code b} are in a call. */
    boolean paired(User a, User b);

    /** End the call between {@code a} and {@code b}; false if there was none. */
    boolean unpair(User a, User b);

    /** Free whatever {@code connection} held: its name and its pairings. Empty if it held nothing. */
    Optional<Departure> release(Connection connection);

    /** How many users are logged in. */
    int size();
}
