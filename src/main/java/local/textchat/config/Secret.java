package local.textchat.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** A setting that must not show up in a log: its {@code toString} hides it. */
public record Secret(String value) {

    /** {@code raw} trimmed, or null if it is missing or blank. */
    public static Secret of(String raw) {
        return raw == null || raw.isBlank() ? null : new Secret(raw.strip());
    }

    /** Whether {@code presented} is this secret, compared in constant time. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "(hidden)";
    }
}
