package local.textchat.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import local.textchat.ice.TurnCredentials;

/**
 * Every setting of textchat, read once. Each has a key like {@code textchat.maxMessageBytes};
 * a servlet context init parameter of that name is overridden by a system property of that
 * name, which is overridden by an environment variable ({@code TEXTCHAT_MAX_MESSAGE_BYTES}).
 *
 * @param maxMessageBytes      largest text frame accepted; bigger ones close the socket with 1009
 * @param iceServers           the RTCIceServer list handed to every user at login
 * @param sendBacklog          messages that may wait for one slow receiver before its socket is closed
 * @param maxUsers             names held at most; further logins get {@code server-full}
 * @param maxSocketsPerAddress open sockets from one remote address at most; more are refused
 * @param resumeGraceSeconds   how long a dropped socket's name and calls wait for a resume
 * @param pingIntervalSeconds  how often an idle socket is pinged
 * @param idleTimeoutSeconds   how long a socket may stay silent (no message, no pong) before it is closed
 * @param rateBurst            messages a socket may send at once
 * @param ratePerSecond        messages a socket may send per second, sustained
 * @param abuseSeconds         how long a socket may keep flooding before it is closed with 1008
 * @param allowedOrigins       handshake origins allowed besides the page's own ({@code *}: any)
 * @param allowMissingOrigin   whether handshakes without an Origin header (non-browser clients) are allowed
 * @param turnUrls             TURN URLs that get per-user credentials minted at login (empty: none)
 * @param turn                 the minter of those credentials (null without TURN); its toString hides the secret
 * @param iceTransportPolicy   {@code all}, or {@code relay} to make clients use TURN only
 * @param cluster              cluster mode through Redis, or null for a single node (the default)
 * @param directoryFullList    up to this many others online, a login lists all of them and hears of every
 *                             login and departure; above it, see {@code directoryPage}
 * @param directoryPage        names a login lists when more than {@code directoryFullList} others are
 *                             online (the rest are found with {@code who}); it hears only of those it lists
 * @param metrics              whether {@code /metrics} answers (Prometheus text format); off: 404
 * @param metricsToken         a bearer token {@code /metrics} asks for, or null to ask none
 * @param maxCallsPerUser      calls (pairings) one user may be in at once; an offer past it, on either
 *                             side, is answered {@code decline} with reason {@code busy}
 */
public record Settings(int maxMessageBytes, JsonArray iceServers, int sendBacklog, int maxUsers,
                       int maxSocketsPerAddress, int resumeGraceSeconds, int pingIntervalSeconds,
                       int idleTimeoutSeconds, int rateBurst, int ratePerSecond, int abuseSeconds,
                       Set<String> allowedOrigins, boolean allowMissingOrigin, List<String> turnUrls,
                       TurnCredentials turn, String iceTransportPolicy, ClusterSettings cluster,
                       int directoryFullList, int directoryPage, boolean metrics, Secret metricsToken,
                       int maxCallsPerUser) {

    public static final String MAX_MESSAGE_BYTES = "textchat.maxMessageBytes";
    public static final String ICE_SERVERS = "textchat.iceServers";
    public static final String SEND_BACKLOG = "textchat.sendBacklog";
    public static final String MAX_USERS = "textchat.maxUsers";
    public static final String MAX_SOCKETS_PER_ADDRESS = "textchat.maxSocketsPerAddress";
    public static final String RESUME_GRACE_SECONDS = "textchat.resumeGraceSeconds";
    public static final String PING_INTERVAL_SECONDS = "textchat.pingIntervalSeconds";
    public static final String IDLE_TIMEOUT_SECONDS = "textchat.idleTimeoutSeconds";
    public static final String RATE_BURST = "textchat.rateBurst";
    public static final String RATE_PER_SECOND = "textchat.ratePerSecond";
    public static final String ABUSE_SECONDS = "textchat.abuseSeconds";
    public static final String ALLOWED_ORIGINS = "textchat.allowedOrigins";
    public static final String ALLOW_MISSING_ORIGIN = "textchat.allowMissingOrigin";
    public static final String TURN_URLS = "textchat.turnUrls";
    public static final String TURN_SECRET = "textchat.turnSecret";
    public static final String TURN_SECRET_FILE = "textchat.turnSecretFile";
    public static final String TURN_TTL_SECONDS = "textchat.turnTtlSeconds";
    public static final String ICE_TRANSPORT_POLICY = "textchat.iceTransportPolicy";
    public static final String REDIS_URL = "textchat.redisUrl";
    public static final String REDIS_PREFIX = "textchat.redisPrefix";
    public static final String CLUSTER_LEASE_SECONDS = "textchat.clusterLeaseSeconds";
    public static final String DIRECTORY_FULL_LIST = "textchat.directoryFullList";
    public static final String DIRECTORY_PAGE = "textchat.directoryPage";
    public static final String METRICS = "textchat.metrics";
    public static final String METRICS_TOKEN = "textchat.metricsToken";
    public static final String MAX_CALLS_PER_USER = "textchat.maxCallsPerUser";

    /** The tutorial's public STUN server, written the standard way ({@code urls}). */
    public static final String DEFAULT_ICE_SERVERS = "[{\"urls\":\"stun:stun.l.google.com:19302\"}]";

    /** Settings from system properties and the environment only (no servlet context). */
    public static Settings load() {
        return load(key -> null);
    }

    /**
     * A deployment's settings: {@code contextParams} (may answer null), overridden by system
     * properties, overridden by environment variables.
     */
    public static Settings load(UnaryOperator<String> contextParams) {
        return parse(key -> {
            String env = System.getenv(envName(key));
            if (env != null) {
                return env;
            }
            String property = System.getProperty(key);
            return property != null ? property : contextParams.apply(key);
        });
    }

    /**
     * Exactly {@code values} (keys like {@code textchat.maxUsers}) over the defaults, whatever the
     * JVM's system properties and environment say: how tests and embedders configure an application.
     */
    public static Settings of(Map<String, String> values) {
        return parse(values::get);
    }

    private static Settings parse(UnaryOperator<String> lookup) {
        int pingInterval = intSetting(lookup, PING_INTERVAL_SECONDS, 25, 1);
        int idleTimeout = intSetting(lookup, IDLE_TIMEOUT_SECONDS, 60, 1);
        if (idleTimeout <= pingInterval) {
            throw new IllegalArgumentException(IDLE_TIMEOUT_SECONDS + " (" + idleTimeout + ") must be longer than "
                    + PING_INTERVAL_SECONDS + " (" + pingInterval + ")");
        }
        List<String> turnUrls = turnUrls(lookup);
        return new Settings(
                intSetting(lookup, MAX_MESSAGE_BYTES, 64 * 1024, 256),
                iceServers(lookup.apply(ICE_SERVERS)),
                intSetting(lookup, SEND_BACKLOG, 4096, 1),
                intSetting(lookup, MAX_USERS, 10_000, 1),
                intSetting(lookup, MAX_SOCKETS_PER_ADDRESS, 1000, 1),
                intSetting(lookup, RESUME_GRACE_SECONDS, 10, 0),
                pingInterval,
                idleTimeout,
                intSetting(lookup, RATE_BURST, 100, 1),
                intSetting(lookup, RATE_PER_SECOND, 20, 1),
                intSetting(lookup, ABUSE_SECONDS, 5, 1),
                Set.copyOf(listSetting(lookup.apply(ALLOWED_ORIGINS))),
                booleanSetting(lookup, ALLOW_MISSING_ORIGIN, true),
                turnUrls,
                turnCredentials(lookup, turnUrls),
                iceTransportPolicy(lookup.apply(ICE_TRANSPORT_POLICY)),
                cluster(lookup),
                intSetting(lookup, DIRECTORY_FULL_LIST, 500, 0),
                intSetting(lookup, DIRECTORY_PAGE, 20, 1),
                booleanSetting(lookup, METRICS, true),
                Secret.of(lookup.apply(METRICS_TOKEN)),
                intSetting(lookup, MAX_CALLS_PER_USER, 8, 1));
    }

    /** Cluster mode is on exactly when a Redis URL is given. */
    private static ClusterSettings cluster(UnaryOperator<String> lookup) {
        String url = lookup.apply(REDIS_URL);
        if (url == null || url.isBlank()) {
            return null;
        }
        String prefix = lookup.apply(REDIS_PREFIX);
        return new ClusterSettings(url.trim(), prefix == null || prefix.isBlank() ? "textchat" : prefix.trim(),
                intSetting(lookup, CLUSTER_LEASE_SECONDS, 15, 2));
    }

    private static List<String> turnUrls(UnaryOperator<String> lookup) {
        List<String> urls = listSetting(lookup.apply(TURN_URLS));
        for (String url : urls) {
            if (!url.startsWith("turn:") && !url.startsWith("turns:")) {
                throw new IllegalArgumentException(TURN_URLS + " must hold turn: or turns: URLs, got \"" + url + "\"");
            }
        }
        return urls;
    }

    /** The shared secret comes from {@code turnSecret}, or from the file named by {@code turnSecretFile}. */
    private static TurnCredentials turnCredentials(UnaryOperator<String> lookup, List<String> urls) {
        if (urls.isEmpty()) {
            return null; // TURN off: the secret (and its file) is not read
        }
        String secret = lookup.apply(TURN_SECRET);
        String file = lookup.apply(TURN_SECRET_FILE);
        if ((secret == null || secret.isBlank()) && file != null && !file.isBlank()) {
            try {
                secret = Files.readString(Path.of(file.trim()), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException(TURN_SECRET_FILE + " names a file that cannot be read: " + file);
            }
        }
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException(TURN_URLS + " is set but neither " + TURN_SECRET + " nor "
                    + TURN_SECRET_FILE + " gives the shared secret");
        }
        return new TurnCredentials(secret, intSetting(lookup, TURN_TTL_SECONDS, 86_400, 10));
    }

    private static String iceTransportPolicy(String raw) {
        String policy = raw == null || raw.isBlank() ? "all" : raw.trim();
        if (!policy.equals("all") && !policy.equals("relay")) {
            throw new IllegalArgumentException(ICE_TRANSPORT_POLICY + " must be all or relay, got \"" + raw + "\"");
        }
        return policy;
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
        int value;
        try {
            value = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got \"" + raw + "\"");
        }
        if (value < min) {
            throw new IllegalArgumentException(key + " must be at least " + min + ", got " + value);
        }
        return value;
    }

    private static boolean booleanSetting(UnaryOperator<String> lookup, String key, boolean fallback) {
        String raw = lookup.apply(key);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false, got \"" + raw + "\"");
        };
    }

    private static List<String> listSetting(String raw) {
        if (raw == null || raw.isBlank()) {
            return List.of();
        }
        return Arrays.stream(raw.split("[,\\s]+")).filter(s -> !s.isBlank()).distinct().toList();
    }

    private static JsonArray iceServers(String raw) {
        String text = raw == null || raw.isBlank() ? DEFAULT_ICE_SERVERS : raw;
        JsonArray servers;
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            servers = reader.readArray();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(ICE_SERVERS + " is not a JSON array: " + text);
        }
        for (JsonValue server : servers) {
            if (server.getValueType() != JsonValue.ValueType.OBJECT || !server.asJsonObject().containsKey("urls")) {
                throw new IllegalArgumentException(ICE_SERVERS
                        + " must be a JSON array of RTCIceServer objects, each with \"urls\"; got " + text);
            }
        }
        return servers;
    }
}
