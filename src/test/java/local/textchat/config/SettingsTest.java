package local.textchat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    private static Settings from(Map<String, String> contextParams) {
        return Settings.load(contextParams::get);
    }

    @Test
    void defaults() {
        Settings s = from(Map.of());
        assertEquals(65_536, s.maxMessageBytes());
        assertEquals("stun:stun.l.google.com:19302", s.iceServers().getJsonObject(0).getString("urls"));
        assertEquals(10, s.resumeGraceSeconds());
        assertEquals(25, s.pingIntervalSeconds());
        assertEquals(60, s.idleTimeoutSeconds());
        assertEquals(100, s.rateBurst());
        assertEquals(20, s.ratePerSecond());
        assertEquals(5, s.abuseSeconds());
        assertEquals(1000, s.maxSocketsPerAddress());
        assertEquals(Set.of(), s.allowedOrigins());
        assertTrue(s.allowMissingOrigin());
        assertEquals(List.of(), s.turnUrls());
        assertNull(s.turn());
        assertEquals("all", s.iceTransportPolicy());
        assertEquals(8, s.maxCallsPerUser());
    }

    @Test
    void contextParamsAreReadAndSystemPropertiesWin() {
        assertEquals(1024, from(Map.of("textchat.maxMessageBytes", "1024")).maxMessageBytes());
        System.setProperty("textchat.maxMessageBytes", "2048");
        try {
            assertEquals(2048, from(Map.of("textchat.maxMessageBytes", "1024")).maxMessageBytes());
        } finally {
            System.clearProperty("textchat.maxMessageBytes");
        }
    }

    @Test
    void environmentNames() {
        assertEquals("TEXTCHAT_MAX_MESSAGE_BYTES", Settings.envName("textchat.maxMessageBytes"));
        assertEquals("TEXTCHAT_TURN_SECRET_FILE", Settings.envName("textchat.turnSecretFile"));
    }

    @Test
    void badValuesNameTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> from(Map.of("textchat.maxUsers", "lots")));
        assertTrue(e.getMessage().contains("textchat.maxUsers"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> from(Map.of("textchat.iceServers", "{\"urls\":1}")));
        assertThrows(IllegalArgumentException.class, () -> from(Map.of("textchat.iceServers", "[{\"url\":\"stun:x\"}]")));
        assertThrows(IllegalArgumentException.class, () -> from(Map.of("textchat.idleTimeoutSeconds", "10",
                "textchat.pingIntervalSeconds", "20")));
        assertThrows(IllegalArgumentException.class, () -> from(Map.of("textchat.iceTransportPolicy", "none")));
        assertThrows(IllegalArgumentException.class, () -> from(Map.of("textchat.maxCallsPerUser", "0")));
        assertThrows(IllegalArgumentException.class, () -> from(Map.of("textchat.turnUrls", "stun:x:3478",
                "textchat.turnSecret", "s")));
    }

    @Test
    void turnNeedsASecret() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> from(Map.of("textchat.turnUrls", "turn:127.0.0.1:3478")));
        assertTrue(e.getMessage().contains("textchat.turnSecret"));
    }

    @Test
    void turnSecretFromAFileAndNeverPrinted(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("secret");
        Files.writeString(file, "s3cr3t-exp-turn\n");
        Settings s = from(Map.of("textchat.turnUrls", "turn:127.0.0.1:3478?transport=udp, turns:turn.example.org:5349",
                "textchat.turnSecretFile", file.toString(), "textchat.turnTtlSeconds", "3600",
                "textchat.iceTransportPolicy", "relay"));
        assertEquals(List.of("turn:127.0.0.1:3478?transport=udp", "turns:turn.example.org:5349"), s.turnUrls());
        assertEquals("ssJ3i0H5rAJCCaX5kYClveODROo=", s.turn().hmac("1800000000:alice"));
        assertEquals("relay", s.iceTransportPolicy());
        assertFalse(s.toString().contains("s3cr3t"), "settings print no secret");
    }

    @Test
    void withoutTurnUrlsTheSecretFileIsNotRead(@TempDir Path dir) {
        Settings s = from(Map.of("textchat.turnSecretFile", dir.resolve("missing").toString()));
        assertEquals(null, s.turn());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> from(Map.of(
                "textchat.turnUrls", "turn:127.0.0.1:3478", "textchat.turnSecretFile", dir.resolve("missing").toString())));
        assertTrue(e.getMessage().contains("cannot be read"), e::getMessage);
    }
}
