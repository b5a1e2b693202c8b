package local.textchat.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.StringReader;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

import local.textchat.protocol.ClientMessage;
import local.textchat.protocol.ErrorCode;
import local.textchat.protocol.Codec;
import local.textchat.protocol.ProtocolViolation;
import local.textchat.protocol.ServerMessage;

/**
 * The decoder's contract, checked on one frame: {@link Codec#decode} either returns a message
 * the rest of the server can use as it is, or throws {@link ProtocolViolation} with a documented
 * code and a message that can be sent back. Nothing else may come out of it.
 *
 * <p>"Can use as it is" means: every field PROTOCOL.md requires is there with its type; the
 * fields are the ones the frame's JSON holds (the last of duplicate keys, as in JSON-P); and
 * whatever the server echoes or relays from it encodes to a frame that can be sent and reads
 * back as the same JSON.
 */
final class DecodeOracle {

    private static final Set<String> DECLINE_REASONS = Set.of("declined", "busy");
    /** Json.createReader looks its provider up on every call, which would cost more than the decoding. */
    private static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of());
    private static final Jsonb JSONB = JsonbBuilder.create();

    private DecodeOracle() {
    }

    /** The outcome ({@code login}…{@code ping} or an error code); fails the property on a broken invariant. */
    static String verdict(String frame) {
        ClientMessage message;
        try {
            message = Codec.decode(frame);
        } catch (ProtocolViolation violation) {
            return refused(violation);
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError("decode threw " + e + " instead of a ProtocolViolation", e);
        }
        assertNotNull(message, "decode returned null");
        bindsAlike(frame, message);
        JsonObject json = read(frame);
        String type = json.getString("type");
        checkFields(message, json);
        checkEchoes(message);
        return type;
    }

    /**
     * The decoder reads a frame once and builds its record from the checked tree; JSON-B, binding
     * the same text, must arrive at the same record (so nothing of what JSON-B would have made of
     * a frame is lost by not asking it).
     */
    private static void bindsAlike(String frame, ClientMessage message) {
        ClientMessage bound;
        try {
            bound = JSONB.fromJson(frame, ClientMessage.class);
        } catch (RuntimeException e) {
            throw new AssertionError("decode accepted a frame JSON-B cannot bind (" + e + "): " + frame, e);
        }
        assertEquals(bound, message, () -> "JSON-B binds " + frame + " otherwise");
    }

    private static String refused(ProtocolViolation violation) {
        assertNotNull(violation.code(), "violation without a code");
        String code = violation.code().wire();
        assertTrue(Contract.DECODER_CODES.contains(code), () -> "undocumented or misplaced code " + code);
        String text = violation.getMessage();
        assertTrue(text != null && !text.isBlank(), () -> code + " without a message");
        String reply = Codec.encode(violation.toReply());
        assertTrue(Contract.sendable(reply), () -> "the error reply cannot be sent in a text frame: " + reply);
        JsonObject back = read(reply);
        assertEquals(code, back.getString("code"));
        return code;
    }

    /** The message holds what the frame's JSON holds, with the types PROTOCOL.md requires. */
    private static void checkFields(ClientMessage message, JsonObject json) {
        String type = json.getString("type");
        if (message instanceof ClientMessage.Login login) {
            assertEquals("login", type);
            assertEquals(json.getString("name"), login.name());
            assertEquals(optionalString(json, "token"), login.token());
        } else if (message instanceof ClientMessage.Offer offer) {
            assertEquals("offer", type);
            assertEquals(json.getString("name"), offer.name());
            checkDescription(offer.offer(), json.get("offer"));
        } else if (message instanceof ClientMessage.Answer answer) {
            assertEquals("answer", type);
            assertEquals(json.getString("name"), answer.name());
            checkDescription(answer.answer(), json.get("answer"));
        } else if (message instanceof ClientMessage.Candidate candidate) {
            assertEquals("candidate", type);
            assertEquals(json.getString("name"), candidate.name());
            JsonValue expected = json.get("candidate");
            if (expected.getValueType() == JsonValue.ValueType.NULL) {
                assertEquals(null, candidate.candidate(), "end-of-candidates must decode as null");
            } else {
                assertNotNull(candidate.candidate(), "candidate missing");
                assertTrue(candidate.candidate().get("candidate") instanceof JsonString, "candidate.candidate");
                assertEquals(expected, candidate.candidate());
            }
        } else if (message instanceof ClientMessage.Leave leave) {
            assertEquals("leave", type);
            assertEquals(json.getString("name"), leave.name());
        } else if (message instanceof ClientMessage.Decline decline) {
            assertEquals("decline", type);
            assertEquals(json.getString("name"), decline.name());
            assertTrue(decline.reason() == null || DECLINE_REASONS.contains(decline.reason()), decline::toString);
            assertEquals(optionalString(json, "reason"), decline.reason());
        } else if (message instanceof ClientMessage.Ping ping) {
            assertEquals("ping", type);
            checkId(ping.id(), json.get("id"));
        } else if (message instanceof ClientMessage.Who who) {
            assertEquals("who", type);
            assertEquals(optionalString(json, "prefix"), who.prefix());
            assertTrue(who.limit() == null || (who.limit() >= 1 && who.limit() <= 100), who::toString);
        } else if (message instanceof ClientMessage.IceServers) {
            assertEquals("ice-servers", type);
        } else {
            fail("unknown message class " + message.getClass());
        }
    }

    private static void checkDescription(JsonObject decoded, JsonValue expected) {
        assertNotNull(decoded, "description missing");
        assertTrue(decoded.get("type") instanceof JsonString && decoded.get("sdp") instanceof JsonString,
                () -> "description without string type and sdp: " + decoded);
        assertEquals(expected, decoded, "the payload must be relayed as the same JSON value");
    }

    private static void checkId(Object id, JsonValue expected) {
        if (expected == null || expected.getValueType() == JsonValue.ValueType.NULL) {
            assertEquals(null, id);
        } else if (expected instanceof JsonString s) {
            assertEquals(s.getString(), id);
        } else if (expected instanceof JsonNumber n) {
            assertTrue(id instanceof BigDecimal, () -> "numeric id decoded as " + id.getClass());
            assertEquals(0, n.bigDecimalValue().compareTo((BigDecimal) id), () -> id + " != " + n);
        } else {
            fail("ping id must be a string or a number, decoded " + id + " from " + expected);
        }
    }

    /** Whatever goes back out because of this message (pong, relay, an error quoting the name) can be sent. */
    private static void checkEchoes(ClientMessage message) {
        ServerMessage echo;
        String name;
        if (message instanceof ClientMessage.Ping ping) {
            echo = new ServerMessage.Pong(ping.id());
            name = "";
        } else if (message instanceof ClientMessage.Login login) {
            echo = null;
            name = login.name();
        } else if (message instanceof ClientMessage.Offer offer) {
            echo = new ServerMessage.Offer("caller", offer.offer());
            name = offer.name();
        } else if (message instanceof ClientMessage.Answer answer) {
            echo = new ServerMessage.Answer("callee", answer.answer());
            name = answer.name();
        } else if (message instanceof ClientMessage.Candidate candidate) {
            echo = new ServerMessage.Candidate("peer", candidate.candidate());
            name = candidate.name();
        } else if (message instanceof ClientMessage.Leave leave) {
            echo = null;
            name = leave.name();
        } else if (message instanceof ClientMessage.Who who) {
            // The answer quotes the prefix back.
            echo = new ServerMessage.Who(who.prefix() == null ? "" : who.prefix(), java.util.List.of(), 0);
            name = "";
        } else if (message instanceof ClientMessage.IceServers) {
            echo = null;
            name = "";
        } else {
            ClientMessage.Decline decline = (ClientMessage.Decline) message;
            echo = new ServerMessage.Decline("callee", decline.reason());
            name = decline.name();
        }
        // Refusals quote the name the client gave.
        String refusal = Codec.encode(ServerMessage.Error.of(ErrorCode.NO_SUCH_USER, "\"" + name + "\" is not online"));
        assertTrue(Contract.sendable(refusal), () -> "a refusal quoting the name cannot be sent: " + refusal);
        assertEquals("\"" + name + "\" is not online", read(refusal).getString("message"));
        if (echo != null) {
            String text = Codec.encode(echo);
            // Relays are written by hand for speed, the payload as the client wrote it: the same
            // JSON as JSON-B writes.
            assertEquals(read(Codec.encodeWithJsonb(echo)), read(text));
            assertTrue(Contract.sendable(text), () -> "accepted a message whose relay cannot be sent: " + text);
            JsonObject back = read(text);
            if (message instanceof ClientMessage.Offer offer) {
                assertEquals(offer.offer(), back.get("offer"));
            } else if (message instanceof ClientMessage.Answer answer) {
                assertEquals(answer.answer(), back.get("answer"));
            } else if (message instanceof ClientMessage.Candidate candidate) {
                assertEquals(candidate.candidate() == null ? JsonValue.NULL : candidate.candidate(),
                        back.get("candidate"));
            } else if (message instanceof ClientMessage.Ping ping) {
                checkId(ping.id(), back.get("id"));
            }
        }
    }

    private static String optionalString(JsonObject json, String key) {
        JsonValue value = json.get(key);
        return value instanceof JsonString s ? s.getString() : null;
    }

    private static JsonObject read(String text) {
        try (JsonReader reader = READERS.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }
}
