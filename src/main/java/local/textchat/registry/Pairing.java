package local.textchat.registry;

/** What became of an offer's pairing ({@link Users#pair(User, User, int)}). */
public enum Pairing {
    /** The two are in a call now (or were already: a renegotiation). */
    PAIRED,
    /** One of them has gone away meanwhile. */
    GONE,
    /** One of them already has as many calls as a user may have: the offer is answered {@code busy}. */
    BUSY
}
