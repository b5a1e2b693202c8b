package local.textchat.registry;

/** The outcome of {@link Registry#claim}. */
public sealed interface Claim {

    /** The name is now this socket's. */
    record Claimed(User user) implements Claim {
    }

    /**
     * The token matched: the user, with its pairings, moved to this socket. {@code previous} is
     * the socket it was on (to be closed as replaced; it may already be gone).
     */
    record Resumed(User user, Connection previous) implements Claim {
    }

    /** Someone else holds the name (compared case-insensitively). */
    record Taken() implements Claim {
    }

    /** This socket is already logged in. */
    record AlreadyLoggedIn(User user) implements Claim {
    }

    /** The configured maximum of logged-in users is reached. */
    record Full() implements Claim {
    }
}
