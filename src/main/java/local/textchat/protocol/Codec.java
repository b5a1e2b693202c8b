package local.textchat.protocol;

import java.io.StringReader;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.stream.JsonParser;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParserFactory;

/**
 * Text frames to {@link ClientMessage}s and {@link ServerMessage}s to text frames.
 *
 * <p>Decoding reads the frame once, in one JSON-P streaming pass, and checks its members against
 * the shape of its type, so every mistake maps to the right {@link ErrorCode} and a message naming
 * the field, building the record from the checked members (the fuzz tests check that JSON-B binds
 * every accepted frame to the same record). Encoding is JSON-B's. One {@link Jsonb} is shared: building one per
 * message costs about a thousand times more than using it.
 */
public final class Codec {

    private static final Jsonb JSONB = JsonbBuilder.create();
    private static final JsonParserFactory PARSERS = Json.createParserFactory(Map.of());
    /** Looked up once: {@code Json.createValue} would search the class path for a provider at every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private static final Set<String> DECLINE_REASONS = Set.of("declined", "busy");
    /** A JSON number written as an integer: no fraction, no exponent. */
    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)");
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Codec() {
    }

    /**
     * The message in {@code text}, or a {@link ProtocolViolation} saying what is wrong with it. The
     * frame is read once, in one streaming pass ({@link #parse}); the record is built from the
     * members it read, and a relayed payload (offer, answer, candidate) is kept as the client's own
     * text and passed on unchanged.
     */
    public static ClientMessage decode(String text) {
        return read(parse(text));
    }

    /**
     * A frame's top-level members, read once, in the order given (a handful: a list searched from
     * the end is quicker than a map, and a key given twice counts as its last value). For each
     * number member also how it was written: a who's {@code limit} must be written as an integer,
     * which its value cannot tell.
     */
    private static final class Frame {

        private String[] keys = new String[4];
        private JsonValue[] values = new JsonValue[4];
        private String[] written = new String[4];
        private int size;

        void add(String key, JsonValue value, String writtenNumber) {
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
                values = Arrays.copyOf(values, size * 2);
                written = Arrays.copyOf(written, size * 2);
            }
            keys[size] = key;
            values[size] = value;
            written[size] = writtenNumber;
            size++;
        }

        private int find(String key) {
            for (int i = size - 1; i >= 0; i--) {
                if (keys[i].equals(key)) {
                    return i;
                }
            }
            return -1;
        }

        JsonValue get(String key) {
            int i = find(key);
            return i < 0 ? null : values[i];
        }

        boolean has(String key) {
            return find(key) >= 0;
        }

        /** How the number member {@code key} was written; null if it is not a number. */
        String written(String key) {
            int i = find(key);
            return i < 0 ? null : written[i];
        }
    }

    /**
     * The frame's members in one streaming pass. An offer's or answer's description and a
     * candidate that have their type's shape (checked as they stream past) are kept as the
     * client's text without building a tree ({@link RawObject}: nearly every frame is one of
     * these); every other member is read as a JSON-P value, so the parser's own limits apply to
     * all of it. A key given twice counts as its last value.
     */
    private static Frame parse(String text) {
        try (JsonParser parser = PARSERS.createParser(new StringReader(text))) {
            if (!parser.hasNext()) {
                throw new ProtocolViolation(ErrorCode.BAD_JSON, "frame is empty; expected a JSON object");
            }
            if (parser.next() != JsonParser.Event.START_OBJECT) {
                JsonValue value = parser.getValue();
                if (parser.hasNext()) {
                    throw new ProtocolViolation(ErrorCode.BAD_JSON, "frame has text after its JSON value");
                }
                throw new ProtocolViolation(ErrorCode.BAD_JSON, "frame must be a JSON object, got " + describe(value));
            }
            Frame frame = new Frame();
            while (parser.next() == JsonParser.Event.KEY_NAME) {
                String key = parser.getString();
                JsonParser.Event first = parser.next();
                JsonValue value = switch (key) {
                    case "offer", "answer" -> payload(parser, first, text, "type", "sdp");
                    case "candidate" -> payload(parser, first, text, "candidate", null);
                    default -> first == JsonParser.Event.VALUE_STRING ? JSON.createValue(parser.getString()) : parser.getValue();
                };
                frame.add(key, value, first == JsonParser.Event.VALUE_NUMBER ? parser.getString() : null);
            }
            // The parser throws on anything but the object's end here.
            if (parser.hasNext()) {
                throw new ProtocolViolation(ErrorCode.BAD_JSON, "frame has text after its JSON value");
            }
            return frame;
        } catch (ProtocolViolation e) {
            throw e;
        } catch (RuntimeException e) {
            // JsonParsingException, and Parsson's plain RuntimeException for nesting past its depth limit.
            throw new ProtocolViolation(ErrorCode.BAD_JSON, "frame is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    /**
     * The value that starts with {@code first}. An object whose members {@code a} and {@code b}
     * (null: only {@code a}) are strings is kept as the client's text, walked past without a tree;
     * any other object is read as a tree from that text, for {@link #read} to say what is wrong
     * with it; anything else is read as a JSON-P value.
     */
    private static JsonValue payload(JsonParser parser, JsonParser.Event first, String text, String a, String b) {
        if (first != JsonParser.Event.START_OBJECT) {
            return parser.getValue();
        }
        int start = (int) parser.getLocation().getStreamOffset() - 1;
        boolean hasA = false;
        boolean hasB = b == null;
        JsonParser.Event event;
        while ((event = parser.next()) == JsonParser.Event.KEY_NAME) {
            String key = parser.getString();
            JsonParser.Event value = parser.next();
            if (key.equals(a)) {
                hasA = value == JsonParser.Event.VALUE_STRING;
            } else if (key.equals(b)) {
                hasB = value == JsonParser.Event.VALUE_STRING;
            }
            walk(parser, value);
        }
        int end = (int) parser.getLocation().getStreamOffset();
        if (event != JsonParser.Event.END_OBJECT || start < 0 || text.charAt(start) != '{' || text.charAt(end - 1) != '}') {
            throw new IllegalStateException("the parser's offsets do not frame the object it read");
        }
        String object = text.substring(start, end);
        if (hasA && hasB) {
            return new RawObject(object);
        }
        try (var reader = JSON.createReader(new StringReader(object))) {
            return reader.readObject();
        }
    }

    /**
     * Read past the value that starts with {@code first}. Numbers are read as the tree reads them
     * (a BigDecimal), so that one the tree cannot hold fails here too.
     */
    private static void walk(JsonParser parser, JsonParser.Event first) {
        if (first == JsonParser.Event.VALUE_NUMBER) {
            parser.getBigDecimal();
        }
        if (first != JsonParser.Event.START_OBJECT && first != JsonParser.Event.START_ARRAY) {
            return;
        }
        int depth = 1;
        while (depth > 0) {
            JsonParser.Event event = parser.next();
            if (event == JsonParser.Event.START_OBJECT || event == JsonParser.Event.START_ARRAY) {
                depth++;
            } else if (event == JsonParser.Event.END_OBJECT || event == JsonParser.Event.END_ARRAY) {
                depth--;
            } else if (event == JsonParser.Event.VALUE_NUMBER) {
                parser.getBigDecimal();
            }
        }
    }

    /**
     * The JSON text of {@code message}; serialised as its concrete record so the type key is written.
     * The relayed ones (offer, answer, candidate: nearly every frame) are written here directly, the
     * payload as JSON-P writes it, in exactly JSON-B's form (type first, then the fields in name
     * order; the decoder fuzz compares the two on every frame it accepts); the rest by JSON-B.
     */
    public static String encode(ServerMessage message) {
        if (message instanceof ServerMessage.Candidate candidate) {
            return relayed("candidate", "candidate", candidate.candidate(), candidate.name(), true);
        }
        if (message instanceof ServerMessage.Offer offer) {
            return relayed("offer", "offer", offer.offer(), offer.name(), false);
        }
        if (message instanceof ServerMessage.Answer answer) {
            return relayed("answer", "answer", answer.answer(), answer.name(), true);
        }
        return encodeWithJsonb(message);
    }

    /** {@code message} as JSON-B writes it, whatever its type (the fuzz tests compare the relays' own writing with it). */
    public static String encodeWithJsonb(ServerMessage message) {
        return escapeUnpairedSurrogates(JSONB.toJson(message, message.getClass()));
    }

    /** {@code {"type":type, field:payload, "name":from}}, the payload before the name if {@code payloadFirst}. */
    private static String relayed(String type, String field, JsonObject payload, String from, boolean payloadFirst) {
        String body = payload == null ? "null" : payload.toString();
        String name = JSON.createValue(from).toString();
        StringBuilder out = new StringBuilder(body.length() + name.length() + 40).append("{\"type\":\"").append(type)
                .append("\",");
        if (payloadFirst) {
            out.append('"').append(field).append("\":").append(body).append(",\"name\":").append(name);
        } else {
            out.append("\"name\":").append(name).append(",\"").append(field).append("\":").append(body);
        }
        return escapeUnpairedSurrogates(out.append('}').toString());
    }

    /** The record {@code json} describes, once its shape has been checked against its type's. */
    private static ClientMessage read(Frame json) {
        JsonValue type = json.get("type");
        if (type == null) {
            throw invalid("missing required field \"type\"");
        }
        if (type.getValueType() != JsonValue.ValueType.STRING) {
            throw invalid("field \"type\" must be a string, got " + describe(type));
        }
        String name = ((JsonString) type).getString();
        return switch (name) {
            case "login" -> new ClientMessage.Login(requireString(json, "name"), optionalString(json, "token"));
            case "offer" -> new ClientMessage.Offer(requireString(json, "name"), requireDescription(json, "offer"));
            case "answer" -> new ClientMessage.Answer(requireString(json, "name"), requireDescription(json, "answer"));
            case "candidate" -> new ClientMessage.Candidate(requireString(json, "name"), requireCandidate(json));
            case "leave" -> new ClientMessage.Leave(requireString(json, "name"));
            case "decline" -> {
                String callee = requireString(json, "name");
                String reason = optionalString(json, "reason");
                if (reason != null && !DECLINE_REASONS.contains(reason)) {
                    throw invalid("field \"reason\" must be \"declined\" or \"busy\", got \"" + clip(reason) + "\"");
                }
                yield new ClientMessage.Decline(callee, reason);
            }
            case "ping" -> new ClientMessage.Ping(pingId(json.get("id")));
            case "who" -> new ClientMessage.Who(optionalString(json, "prefix"), whoLimit(json));
            case "ice-servers" -> new ClientMessage.IceServers();
            default -> throw new ProtocolViolation(ErrorCode.UNKNOWN_TYPE, "unknown message type \"" + clip(name) + "\"");
        };
    }

    /** A who's limit: absent (null), or a whole number from 1 to 100 written as an integer ({@code 5}, not {@code 5e0}). */
    private static Integer whoLimit(Frame json) {
        JsonValue limit = json.get("limit");
        if (limit == null || limit.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        String written = json.written("limit");
        if (limit.getValueType() != JsonValue.ValueType.NUMBER || !WHOLE_NUMBER.matcher(written).matches()
                || ((JsonNumber) limit).bigDecimalValue().compareTo(BigDecimal.ONE) < 0
                || ((JsonNumber) limit).bigDecimalValue().compareTo(BigDecimal.valueOf(100)) > 0) {
            throw invalid("field \"limit\" must be a whole number from 1 to 100, got " + describe(limit)
                    + (written != null ? " " + clip(written) : ""));
        }
        return ((JsonNumber) limit).intValue();
    }

    /** A ping's id as JSON-B binds an {@code Object}: a string, a number as BigDecimal, or absent (null). */
    private static Object pingId(JsonValue id) {
        if (id == null) {
            return null;
        }
        return switch (id.getValueType()) {
            case STRING -> ((JsonString) id).getString();
            case NUMBER -> ((JsonNumber) id).bigDecimalValue();
            case NULL -> null;
            default -> throw invalid("field \"id\" must be a string or a number, got " + describe(id));
        };
    }

    private static String requireString(Frame json, String field) {
        JsonValue value = json.get(field);
        if (value == null) {
            throw invalid("missing required field \"" + field + "\"");
        }
        if (value.getValueType() != JsonValue.ValueType.STRING) {
            throw invalid("field \"" + field + "\" must be a string, got " + describe(value));
        }
        return ((JsonString) value).getString();
    }

    private static String optionalString(Frame json, String field) {
        JsonValue value = json.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        return requireString(json, field);
    }

    /** An RTCSessionDescriptionInit: an object with string {@code type} and {@code sdp}. */
    private static JsonObject requireDescription(Frame json, String field) {
        JsonValue value = json.get(field);
        if (value instanceof RawObject checked) {
            return checked; // its shape was checked as it streamed past
        }
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
        return description;
    }

    /** An RTCIceCandidateInit (an object with a string {@code candidate}) or null. */
    private static JsonObject requireCandidate(Frame json) {
        if (json.get("candidate") instanceof RawObject checked) {
            return checked; // its shape was checked as it streamed past
        }
        if (!json.has("candidate")) {
            throw invalid("missing required field \"candidate\" (use null for end-of-candidates)");
        }
        JsonValue value = json.get("candidate");
        if (value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw invalid("field \"candidate\" must be an object or null, got " + describe(value));
        }
        JsonValue line = value.asJsonObject().get("candidate");
        if (line == null || line.getValueType() != JsonValue.ValueType.STRING) {
            throw invalid("field \"candidate.candidate\" must be a string, got " + describe(line));
        }
        return value.asJsonObject();
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
