package local.textchat.config;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Cluster mode: the Redis that the nodes share, the prefix of every key and channel they use in
 * it, and how long a node's lease (its liveness and the names it holds) lasts without renewal.
 * Its toString hides the password.
 *
 * @param redisUrl     {@code redis://[[user]:password@]host[:port][/db]}, {@code rediss://…} for TLS, or
 *                     {@code redis-sentinel://…}
 * @param prefix       prefix of keys and channels, so that several deployments can share one Redis
 * @param leaseSeconds a node that stops renewing is taken for dead after this; its names are then free
 */
public record ClusterSettings(String redisUrl, String prefix, int leaseSeconds) {

    public ClusterSettings {
        URI uri;
        try {
            uri = new URI(redisUrl);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(Settings.REDIS_URL + " is not a URL: " + redactedUrl(redisUrl));
        }
        String scheme = uri.getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme) && !"redis-sentinel".equals(scheme)) {
            throw new IllegalArgumentException(Settings.REDIS_URL + " must be a redis://, rediss:// or redis-sentinel:// URL, got "
                    + redactedUrl(redisUrl));
        }
        if (prefix.isBlank() || prefix.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException(Settings.REDIS_PREFIX + " must be a word without spaces, got \"" + prefix + "\"");
        }
    }

    /** The URL with any password replaced by {@code ***}, for log lines. */
    public String where() {
        return redactedUrl(redisUrl);
    }

    @Override
    public String toString() {
        return "ClusterSettings[redisUrl=" + where() + ", prefix=" + prefix + ", leaseSeconds=" + leaseSeconds + "]";
    }

    private static String redactedUrl(String url) {
        return url.replaceFirst("//[^@/]*@", "//***@");
    }
}
