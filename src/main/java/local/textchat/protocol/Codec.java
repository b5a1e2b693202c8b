package local.textchat.protocol;

import java.io.StringReader;
import java.util.Map;
import java.util.Set;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;

/**
 * Text frames to {@link ClientMessage}s and {@link ServerMessage}s to text frames.
 *
 * <p>Decoding first reads the frame with JSON-P and checks it against the shape of its type,
 * so every mistake maps to the right {@link ErrorCode} and a message naming the field; only a
 * frame that passed is bound by JSON-B. One {@link Jsonb} is shared: building one per message
 * costs about a thousand times more than using it.
 */
public final class Codec {

    private static final Jsonb JSONB = JsonbBuilder.create();
    private static final JsonParserFactory PARSERS = Json.createParserFactory(Map.of());

    private static final Set<String> DECLINE_REASONS = Set.of("declined", "busy");
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Codec() {
    }

    /** The message in {@code text}, or a {@link ProtocolViolation} saying what is wrong with it. */
    public static ClientMessage decode(String text) {
        JsonObject json = parse(text);
        check(json);
        try {
            return JSONB.fromJson(text, ClientMessage.class);
        } catch (JsonbException e) {
            // check() accepted it, so this is a shape check() does not know; still the client's frame.
            throw new ProtocolViolation(ErrorCode.INVALID_MESSAGE, "message could not be read: " + e.getMessage());
        }
    }

    /** The JSON text of {@code message}; serialised as its concrete record so the type key is written. */
    public static String encode(ServerMessage message) {
        return escapeUnpairedSurrogates(JSONB.toJson(message, message.getClass()));
    }

    /** A server message from the JSON {@link #encode} wrote: how the nodes of a cluster pass messages on. */
    public static ServerMessage decodeServer(String text) {
        return JSONB.fromJson(text, ServerMessage.class);
    }

    private static JsonObject parse(String text) {
        JsonValue value;
        try (JsonParser parser = PARSERS.createParser(new StringReader(text))) {
            if (!parser.hasNext()) {
                throw new ProtocolViolation(ErrorCode.BAD_JSON, "frame is empty; expected a JSON object");
            }
            parser.next();
            value = parser.getValue();
            if (parser.hasNext()) {
                throw new ProtocolViolation(ErrorCode.BAD_JSON, "frame has text after its JSON value");
            }
        } catch (ProtocolViolation e) {
            throw e;
        } catch (RuntimeException e) {
            // JsonParsingException, and Parsson's plain RuntimeException for nesting past its depth limit.
            throw new ProtocolViolation(ErrorCode.BAD_JSON, "frame is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new ProtocolViolation(ErrorCode.BAD_JSON, "frame must be a JSON object, got " + describe(value));
        }
        return value.asJsonObject();
    }

    private static void check(JsonObject json) {
        JsonValue type = json.get("type");
        if (type == null) {
            throw invalid("missing required field \"type\"");
        }
        if (type.getValueType() != JsonValue.ValueType.STRING) {
            throw invalid("field \"type\" must be a string, got " + describe(type));
        }
        String name = ((jakarta.json.JsonString) type).getString();
        switch (name) {
            case "login" -> {
                requireString(json, "name");
                optionalString(json, "token");
            }
            case "offer" -> {
                requireString(json, "name");
                requireDescription(json, "offer");
            }
            case "answer" -> {
                requireString(json, "name");
                requireDescription(json, "answer");
            }
            case "candidate" -> {
                requireString(json, "name");
                requireCandidate(json);
            }
            case "leave" -> requireString(json, "name");
            case "decline" -> {
                requireString(json, "name");
                String reason = optionalString(json, "reason");
                if (reason != null && !DECLINE_REASONS.contains(reason)) {
                    throw invalid("field \"reason\" must be \"declined\" or \"busy\", got \"" + clip(reason) + "\"");
                }
            }
            case "ping" -> {
                JsonValue id = json.get("id");
                if (id != null && !isScalar(id)) {
                    throw invalid("field \"id\" must be a string or a number, got " + describe(id));
                }
            }
            default -> throw new ProtocolViolation(ErrorCode.UNKNOWN_TYPE,
                    "unknown message type \"" + clip(name) + "\"");
        }
    }

    private static String requireString(JsonObject json, String field) {
        JsonValue value = json.get(field);
        if (value == null) {
            throw invalid("missing required field \"" + field + "\"");
        }
        if (value.getValueType() != JsonValue.ValueType.STRING) {
            throw invalid("field \"" + field + "\" must be a string, got " + describe(value));
        }
        return ((jakarta.json.JsonString) value).getString();
    }

    private static String optionalString(JsonObject json, String field) {
        JsonValue value = json.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        return requireString(json, field);
    }

    /** An RTCSessionDescriptionInit: an object with string {@code type} and {@code sdp}. */
    private static void requireDescription(JsonObject json, String field) {
        JsonValue value = json.get(field);
        if (value == null) {
            throw invalid("missing required field \"" + field + "\"");
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw invalid("field \"" + field + "\" must be an object with string \"type\" and \"sdp\", got "
                    + describe(value));
        }
        JsonObject description = value.asJsonObject();
        for (String part : new String[] {"type", "sdp"}) {
            JsonValue v = description.get(part);
            if (v == null || v.getValueType() != JsonValue.ValueType.STRING) {
                throw invalid("field \"" + field + "." + part + "\" must be a string, got " + describe(v));
            }
        }
    }

    /** An RTCIceCandidateInit (an object with a string {@code candidate}) or null. */
    private static void requireCandidate(JsonObject json) {
        if (!json.containsKey("candidate")) {
            throw invalid("missing required field \"candidate\" (use null for end-of-candidates)");
        }
        JsonValue value = json.get("candidate");
        if (value.getValueType() == JsonValue.ValueType.NULL) {
            return;
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw invalid("field \"candidate\" must be an object or null, got " + describe(value));
        }
        JsonValue line = value.asJsonObject().get("candidate");
        if (line == null || line.getValueType() != JsonValue.ValueType.STRING) {
            throw invalid("field \"candidate.candidate\" must be a string, got " + describe(line));
        }
    }

    /**
     * {@code json} with every unpaired surrogate written as a {@code \\uXXXX} escape. A client may
     * send one ({@code "\\ud800"} is valid JSON) in a payload, a ping id or a name we quote back,
     * but UTF-8 has no form for it: Tyrus fails such a send with {@code java.lang.Error}, and the
     * receiver would lose its socket over what another user sent. Surrogates only ever occur inside
     * JSON strings, where the escape is the same JSON value, so relays stay exact.
     */
    private static String escapeUnpairedSurrogates(String json) {
        StringBuilder out = null;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < json.length() && Character.isLowSurrogate(json.charAt(i + 1))) {
                if (out != null) {
                    out.append(c).append(json.charAt(i + 1));
                }
                i++;
            } else if (Character.isSurrogate(c)) {
                if (out == null) {
                    out = new StringBuilder(json.length() + 16).append(json, 0, i);
                }
                out.append("\\u").append(HEX[c >> 12]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf])
                        .append(HEX[c & 0xf]);
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? json : out.toString();
    }

    private static boolean isScalar(JsonValue value) {
        return switch (value.getValueType()) {
            case STRING, NUMBER, NULL -> true;
            default -> false;
        };
    }

    private static ProtocolViolation invalid(String message) {
        return new ProtocolViolation(ErrorCode.INVALID_MESSAGE, message);
    }

    private static String describe(JsonValue value) {
        if (value == null) {
            return "nothing";
        }
        return switch (value.getValueType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case TRUE, FALSE -> "a boolean";
            case NULL -> "null";
        };
    }

    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return clip(nl < 0 ? s : s.substring(0, nl)).replace('"', '\'');
    }
}
