package local.textchat.protocol;

import java.util.List;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbSubtype;
import jakarta.json.bind.annotation.JsonbTypeInfo;

/**
 * What {@code /signal} sends to a browser. A separate hierarchy from {@link ClientMessage}
 * because the same {@code type} (e.g. {@code login}) is a request one way and a reply the other.
 * Absent ({@code null}) fields are left out of the JSON.
 */
@JsonbTypeInfo(key = "type", value = {
        @JsonbSubtype(alias = "login", type = ServerMessage.Login.class),
        @JsonbSubtype(alias = "offer", type = ServerMessage.Offer.class),
        @JsonbSubtype(alias = "answer", type = ServerMessage.Answer.class),
        @JsonbSubtype(alias = "candidate", type = ServerMessage.Candidate.class),
        @JsonbSubtype(alias = "leave", type = ServerMessage.Leave.class),
        @JsonbSubtype(alias = "decline", type = ServerMessage.Decline.class),
        @JsonbSubtype(alias = "online", type = ServerMessage.Online.class),
        @JsonbSubtype(alias = "offline", type = ServerMessage.Offline.class),
        @JsonbSubtype(alias = "pong", type = ServerMessage.Pong.class),
        @JsonbSubtype(alias = "who", type = ServerMessage.Who.class),
        @JsonbSubtype(alias = "ice-servers", type = ServerMessage.IceServers.class),
        @JsonbSubtype(alias = "error", type = ServerMessage.Error.class)
})
public sealed interface ServerMessage {

    /**
     * Reply to a login: either accepted (name, users, usersTotal, iceServers, iceTransportPolicy,
     * token) or refused (reason). {@code users} lists everyone else online, or, in a large
     * deployment, the first page of them; {@code usersTotal} says how many there are.
     */
    record Login(boolean success, String name, List<String> users, Integer usersTotal, JsonArray iceServers,
                 String iceTransportPolicy, String token, String reason) implements ServerMessage {

        public static Login accepted(String name, List<String> users, int usersTotal, JsonArray iceServers,
                                     String iceTransportPolicy, String token) {
            return new Login(true, name, List.copyOf(users), usersTotal, iceServers, iceTransportPolicy, token, null);
        }

        public static Login refused(LoginRefusal reason) {
            return new Login(false, null, null, null, null, null, null, reason.wire());
        }
    }

    /** An offer relayed from {@code name} (the caller). */
    record Offer(String name, JsonObject offer) implements ServerMessage {
    }

    /** An answer relayed from {@code name} (the callee). */
    record Answer(String name, JsonObject answer) implements ServerMessage {
    }

    /** A candidate relayed from {@code name}; {@code null} (written out) ends the trickle. */
    record Candidate(String name, @JsonbNillable JsonObject candidate) implements ServerMessage {
    }

    /** {@code name} hung up or went away. */
    record Leave(String name) implements ServerMessage {
    }

    /** {@code name} refused the offer. */
    record Decline(String name, String reason) implements ServerMessage {
    }

    /** Presence: {@code name} logged in. */
    record Online(String name) implements ServerMessage {
    }

    /** Presence: {@code name} went away. */
    record Offline(String name) implements ServerMessage {
    }

    /** Reply to a who: the users found for {@code prefix}, in name order, of {@code total} that match. */
    record Who(String prefix, List<String> users, int total) implements ServerMessage {
    }

    /** Reply to an ice-servers request: the list and policy a login would get now (fresh TURN credentials). */
    record IceServers(JsonArray iceServers, String iceTransportPolicy) implements ServerMessage {
    }

    /** Reply to a ping, echoing its id. */
    record Pong(Object id) implements ServerMessage {
    }

    /** A message was refused; the socket stays open. */
    record Error(String code, String message) implements ServerMessage {

        public static Error of(ErrorCode code, String message) {
            return new Error(code.wire(), message);
        }
    }
}
