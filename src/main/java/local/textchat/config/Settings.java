package local.textchat.config;

import java.io.StringReader;
import java.util.Locale;
import java.util.function.UnaryOperator;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

/**
 * Every setting of textchat, read once. Each has a key like {@code textchat.maxMessageBytes};
 * a servlet context init parameter of that name is overridden by a system property of that
 * name, which is overridden by an environment variable ({@code TEXTCHAT_MAX_MESSAGE_BYTES}).
 *
 * @param maxMessageBytes largest text frame accepted; bigger ones close the socket with 1009
 * @param iceServers      the RTCIceServer list handed to every user at login
 * @param sendBacklog     messages that may wait for one slow receiver before its socket is closed
 * @param maxUsers        logged-in users at most; further logins get {@code server-full}
 */
public record Settings(int maxMessageBytes, JsonArray iceServers, int sendBacklog, int maxUsers) {

    public static final String MAX_MESSAGE_BYTES = "textchat.maxMessageBytes";
    public static final String ICE_SERVERS = "textchat.iceServers";
    public static final String SEND_BACKLOG = "textchat.sendBacklog";
    public static final String MAX_USERS = "textchat.maxUsers";

    /** The tutorial's public STUN server, written the standard way ({@code urls}). */
    public static final String DEFAULT_ICE_SERVERS = "[{\"urls\":\"stun:stun.l.google.com:19302\"}]";

    /** Settings from system properties and the environment only (no servlet context). */
    public static Settings load() {
        return load(key -> null);
    }

    /** Settings from {@code contextParams} (may answer null), system properties and the environment. */
    public static Settings load(UnaryOperator<String> contextParams) {
        UnaryOperator<String> lookup = key -> {
            String env = System.getenv(envName(key));
            if (env != null) {
                return env;
            }
            String property = System.getProperty(key);
            return property != null ? property : contextParams.apply(key);
        };
        return new Settings(
                intSetting(lookup, MAX_MESSAGE_BYTES, 64 * 1024, 256),
                iceServers(lookup.apply(ICE_SERVERS)),
                intSetting(lookup, SEND_BACKLOG, 4096, 1),
                intSetting(lookup, MAX_USERS, 10_000, 1));
    }

    /** {@code textchat.maxMessageBytes} becomes {@code TEXTCHAT_MAX_MESSAGE_BYTES}. */
    public static String envName(String key) {
        return key.replace('.', '_').replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    private static int intSetting(UnaryOperator<String> lookup, String key, int fallback, int min) {
        String raw = lookup.apply(key);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value < min) {
                throw new IllegalArgumentException(key + " must be at least " + min + ", got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got \"" + raw + "\"");
        }
    }

    private static JsonArray iceServers(String raw) {
        String text = raw == null || raw.isBlank() ? DEFAULT_ICE_SERVERS : raw;
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            JsonArray servers = reader.readArray();
            for (JsonValue server : servers) {
                if (server.getValueType() != JsonValue.ValueType.OBJECT
                        || !server.asJsonObject().containsKey("urls")) {
                    throw new IllegalArgumentException(ICE_SERVERS
                            + " must be a JSON array of RTCIceServer objects, each with \"urls\"; got " + text);
                }
            }
            return servers;
        } catch (JsonException | IllegalStateException e) {
            throw new IllegalArgumentException(ICE_SERVERS + " is not a JSON array: " + text);
        }
    }
}
