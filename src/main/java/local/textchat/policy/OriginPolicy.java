package local.textchat.policy;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which handshake {@code Origin}s may open a socket: the page's own origin (same host and
 * port as the request), any origin in the configured list ({@code *} for all), and no Origin
 * at all (non-browser clients) unless that is switched off.
 */
public final class OriginPolicy {

    /** The answer before the request's Host is known. */
    public enum Early { ALLOWED, REFUSED, SAME_ORIGIN_ONLY }

    private final Set<String> allowed;
    private final boolean anyOrigin;
    private final boolean allowMissing;

    public OriginPolicy(Set<String> allowedOrigins, boolean allowMissing) {
        this.allowed = allowedOrigins.stream().map(OriginPolicy::normalise).collect(Collectors.toUnmodifiableSet());
        this.anyOrigin = allowed.contains("*");
        this.allowMissing = allowMissing;
    }

    /** The decision that needs only the Origin header. */
    public Early early(String origin) {
        if (origin == null || origin.isBlank()) {
            return allowMissing ? Early.ALLOWED : Early.REFUSED;
        }
        if (anyOrigin || allowed.contains(normalise(origin))) {
            return Early.ALLOWED;
        }
        return Early.SAME_ORIGIN_ONLY;
    }

    /** The whole decision, given the request's {@code Host} header. */
    public boolean allows(String origin, String host) {
        return switch (early(origin)) {
            case ALLOWED -> true;
            case REFUSED -> false;
            case SAME_ORIGIN_ONLY -> isSameOrigin(origin, host);
        };
    }

    /** Whether {@code origin}'s host and port are the request's {@code Host}. */
    public static boolean isSameOrigin(String origin, String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        try {
            URI uri = URI.create(origin.trim());
            String scheme = uri.getScheme();
            if (uri.getHost() == null || scheme == null) {
                return false;
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : defaultPort(scheme);
            return authority(uri.getHost(), port).equals(hostAuthority(host.trim(), defaultPort(scheme)));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String hostAuthority(String host, int defaultPort) {
        URI uri = URI.create("x://" + host);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("bad Host " + host);
        }
        return authority(uri.getHost(), uri.getPort() >= 0 ? uri.getPort() : defaultPort);
    }

    private static String authority(String host, int port) {
        return host.toLowerCase(Locale.ROOT) + ":" + port;
    }

    private static int defaultPort(String scheme) {
        return "https".equalsIgnoreCase(scheme) || "wss".equalsIgnoreCase(scheme) ? 443 : 80;
    }

    private static String normalise(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }
}
