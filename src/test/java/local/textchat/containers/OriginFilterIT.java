package local.textchat.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import local.textchat.support.RawClient;
import local.textchat.support.TestServer;

/**
 * PROTOCOL.md, Origin, in a servlet container: the handshake filter refuses a foreign Origin with
 * HTTP 403 before the upgrade (Tyrus standalone can only close such a socket afterwards).
 */
class OriginFilterIT {

    private TestServer server;

    @BeforeEach
    void start() {
        ContainerTarget.required(ContainerTarget.class, "checks the servlet filter in front of the handshake");
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aForeignOriginIsRefusedWith403() {
        try (RawClient client = RawClient.connect(server.signalUri(), "http://evil.example")) {
            assertEquals(403, client.status());
        }
    }

    @Test
    void thePagesOwnOriginIsUpgraded() {
        String own = "http://" + server.baseUri().getHost() + ":" + server.port();
        try (RawClient client = RawClient.connect(server.signalUri(), own)) {
            assertEquals(101, client.status());
            assertTrue(client.login("origin-own").getBoolean("success"));
        }
    }
}
