package local.textchat.protocol;

/** Why a login was refused: the {@code reason} of a failed login reply. */
public enum LoginRefusal {
    TAKEN("taken"),
    INVALID_NAME("invalid-name"),
    ALREADY_LOGGED_IN("already-logged-in"),
    UNAUTHORIZED("unauthorized"),
    SERVER_FULL("server-full"),
    /** Cluster mode only: the store shared by the nodes cannot be reached, so no name can be claimed now. */
    UNAVAILABLE("unavailable");

    private final String wire;

    LoginRefusal(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
