package local.textchat.protocol;

/**
 * A message relayed from one user to another, encoded once where it was sent: what the receiving
 * side's rules need to know of it ({@link Kind}), and the text frame the receiver gets as it is,
 * on this node or after a hop to another node of a cluster.
 */
public record Relay(Kind kind, String frame) {

    /** Which rule applies where it is received: an offer pairs, a leave or decline unpairs, the rest needs a call. */
    public enum Kind { OFFER, ANSWER, CANDIDATE, LEAVE, DECLINE }

    public static Relay offer(ServerMessage.Offer message) {
        return new Relay(Kind.OFFER, Codec.encode(message));
    }

    public static Relay answer(ServerMessage.Answer message) {
        return new Relay(Kind.ANSWER, Codec.encode(message));
    }

    public static Relay candidate(ServerMessage.Candidate message) {
        return new Relay(Kind.CANDIDATE, Codec.encode(message));
    }

    public static Relay leave(ServerMessage.Leave message) {
        return new Relay(Kind.LEAVE, Codec.encode(message));
    }

    public static Relay decline(ServerMessage.Decline message) {
        return new Relay(Kind.DECLINE, Codec.encode(message));
    }

    /** Whether it ends a call: a leave or a decline. */
    public boolean endsCall() {
        return kind == Kind.LEAVE || kind == Kind.DECLINE;
    }
}
