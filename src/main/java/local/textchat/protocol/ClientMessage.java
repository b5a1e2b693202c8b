package local.textchat.protocol;

import jakarta.json.JsonObject;
import jakarta.json.bind.annotation.JsonbSubtype;
import jakarta.json.bind.annotation.JsonbTypeInfo;

/**
 * What a browser may send to {@code /signal}. Instances only ever come out of
 * {@link MessageDecoder}, which has already checked every field's presence and JSON type.
 */
@JsonbTypeInfo(key = "type", value = {
        @JsonbSubtype(alias = "login", type = ClientMessage.Login.class),
        @JsonbSubtype(alias = "offer", type = ClientMessage.Offer.class),
        @JsonbSubtype(alias = "answer", type = ClientMessage.Answer.class),
        @JsonbSubtype(alias = "candidate", type = ClientMessage.Candidate.class),
        @JsonbSubtype(alias = "leave", type = ClientMessage.Leave.class),
        @JsonbSubtype(alias = "decline", type = ClientMessage.Decline.class),
        @JsonbSubtype(alias = "ping", type = ClientMessage.Ping.class),
        @JsonbSubtype(alias = "who", type = ClientMessage.Who.class),
        @JsonbSubtype(alias = "ice-servers", type = ClientMessage.IceServers.class)
})
public sealed interface ClientMessage {

    /** Claim {@code name} for this socket; {@code token} (optional) resumes an earlier login. */
    record Login(String name, String token) implements ClientMessage {
    }

    /** Call {@code name} (the callee) or renegotiate with it. */
    record Offer(String name, JsonObject offer) implements ClientMessage {
    }

    /** Accept the offer from {@code name} (the caller). */
    record Answer(String name, JsonObject answer) implements ClientMessage {
    }

    /** Trickle one ICE candidate to {@code name}; a {@code null} candidate ends the trickle. */
    record Candidate(String name, JsonObject candidate) implements ClientMessage {
    }

    /** Hang up on {@code name}. */
    record Leave(String name) implements ClientMessage {
    }

    /** Refuse the offer from {@code name}; {@code reason} is {@code declined} or {@code busy}. */
    record Decline(String name, String reason) implements ClientMessage {
    }

    /** Liveness probe; {@code id} (a string or a number, optional) is echoed in the pong. */
    record Ping(Object id) implements ClientMessage {
    }

    /**
     * Search the directory: up to {@code limit} (1 to 100; absent: 20) users whose name starts with
     * {@code prefix} (any case; absent or empty: everyone), in name order.
     */
    record Who(String prefix, Integer limit) implements ClientMessage {
    }

    /**
     * Ask for the ICE servers again, with freshly minted TURN credentials: a call that outlives the
     * ones it got at login needs new ones before it restarts ICE.
     */
    record IceServers() implements ClientMessage {
    }
}
