package local.textchat.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

class OriginPolicyTest {

    private final OriginPolicy defaults = new OriginPolicy(Set.of(), true);

    @Test
    void thePagesOwnOriginIsAllowed() {
        assertTrue(defaults.allows("http://chat.example.org:8080", "chat.example.org:8080"));
        assertTrue(defaults.allows("https://Chat.Example.org", "chat.example.org"));
        assertTrue(defaults.allows("https://chat.example.org", "chat.example.org:443"));
        assertTrue(defaults.allows("http://[::1]:8080", "[::1]:8080"));
    }

    @Test
    void otherOriginsAreNot() {
        assertFalse(defaults.allows("http://evil.example", "chat.example.org"));
        assertFalse(defaults.allows("http://chat.example.org:8081", "chat.example.org:8080"));
        assertFalse(defaults.allows("https://chat.example.org", "chat.example.org:80"));
        assertFalse(defaults.allows("null", "chat.example.org"));
        assertFalse(defaults.allows("http://chat.example.org", null));
        assertFalse(defaults.allows("::not a uri::", "chat.example.org"));
    }

    @Test
    void configuredOriginsAndWildcard() {
        OriginPolicy listed = new OriginPolicy(Set.of("https://app.example.com/"), true);
        assertTrue(listed.allows("https://APP.example.com", "signal.example.com"));
        assertEquals(OriginPolicy.Early.ALLOWED, listed.early("https://app.example.com"));
        assertTrue(new OriginPolicy(Set.of("*"), true).allows("http://anything", "x"));
    }

    @Test
    void missingOrigin() {
        assertTrue(defaults.allows(null, "x"));
        OriginPolicy strict = new OriginPolicy(Set.of(), false);
        assertFalse(strict.allows(null, "x"));
        assertEquals(OriginPolicy.Early.REFUSED, strict.early(""));
    }
}
