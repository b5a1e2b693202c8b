package local.textchat.ice;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived TURN credentials in coturn's TURN REST API scheme ({@code use-auth-secret}):
 * username {@code "<expiry unix seconds>:<name>"}, credential
 * {@code base64(HMAC-SHA1(secret, username))}. coturn recomputes the HMAC with the same
 * shared secret and refuses the username once its expiry has passed.
 */
public final class TurnCredentials {

    private final byte[] secret;
    private final long lifetimeSeconds;

    public TurnCredentials(String secret, long lifetimeSeconds) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("the TURN secret is empty");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.lifetimeSeconds = lifetimeSeconds;
    }

    /** A username/credential pair for {@code name}, valid until {@code nowSeconds + lifetime}. */
    public Credential mint(String name, long nowSeconds) {
        String username = (nowSeconds + lifetimeSeconds) + ":" + name;
        return new Credential(username, hmac(username));
    }

    /** The credential for {@code username}: base64 of its HMAC-SHA1 under the secret. */
    public String hmac(String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is missing from this JVM", e);
        }
    }

    /** One minted pair. */
    public record Credential(String username, String credential) {
    }

    @Override
    public String toString() {
        return "TurnCredentials[secret=(" + secret.length + " bytes, redacted), lifetime=" + lifetimeSeconds + " s]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TurnCredentials t && Arrays.equals(secret, t.secret) && lifetimeSeconds == t.lifetimeSeconds;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(secret) * 31 + Long.hashCode(lifetimeSeconds);
    }
}
