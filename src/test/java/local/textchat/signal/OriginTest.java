package local.textchat.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import local.textchat.support.RawClient;
import local.textchat.support.TestServer;

/**
 * PROTOCOL.md, Origin. On Tyrus standalone the page's-own-origin rule can only be applied
 * after the upgrade (the Host header is not visible to checkOrigin), so a foreign origin is
 * closed with 1008 there; origins refused outright get 403.
 */
class OriginTest {

    @Test
    void thePagesOwnOriginIsAllowed() {
        try (TestServer server = TestServer.start();
             RawClient client = RawClient.connect(server.signalUri(), "http://127.0.0.1:" + server.port())) {
            assertEquals(101, client.status());
            assertTrue(client.login("alice").getBoolean("success"));
        }
    }

    @Test
    void aForeignOriginIsClosedWithPolicyViolation() {
        try (TestServer server = TestServer.start();
             RawClient client = RawClient.connect(server.signalUri(), "http://evil.example")) {
            if (client.status() == 101) {
                assertEquals(1008, client.awaitClose(5_000));
            } else {
                assertEquals(403, client.status());
            }
        }
    }

    @Test
    void aConfiguredOriginIsAllowed() {
        try (TestServer server = TestServer.start(Map.of("textchat.allowedOrigins", "https://chat.example.org")) ;
             RawClient client = RawClient.connect(server.signalUri(), "https://chat.example.org")) {
            assertEquals(101, client.status());
            assertTrue(client.login("alice").getBoolean("success"));
        }
    }

    @Test
    void noOriginIsAllowedByDefault() {
        try (TestServer server = TestServer.start(); RawClient client = RawClient.connect(server.signalUri(), null)) {
            assertEquals(101, client.status());
            assertTrue(client.login("alice").getBoolean("success"));
        }
    }

    @Test
    void noOriginIsRefusedWith403WhenSwitchedOff() {
        try (TestServer server = TestServer.start(Map.of("textchat.allowMissingOrigin", "false"));
             RawClient client = RawClient.connect(server.signalUri(), null)) {
            assertEquals(403, client.status());
        }
    }
}
