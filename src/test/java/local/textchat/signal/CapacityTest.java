package local.textchat.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import local.textchat.support.RawClient;
import local.textchat.support.TestServer;
import local.textchat.support.WsClient;

/** PROTOCOL.md, Capacity: a maximum of logged-in users and of sockets per remote address. */
class CapacityTest {

    @Test
    void loginsPastTheMaximumGetServerFull() {
        try (TestServer server = TestServer.start(Map.of("textchat.maxUsers", "2"));
             WsClient a = server.login("a"); WsClient b = server.login("b"); WsClient c = server.connect()) {
            c.send("{\"type\":\"login\",\"name\":\"c\"}");
            JsonObject reply = c.next("login");
            assertFalse(reply.getBoolean("success"));
            assertEquals("server-full", reply.getString("reason"));
            a.close();
            b.nextMatching(m -> m.getString("type").equals("offline"));
            c.login("c");
        }
    }

    @Test
    void aSocketPastThePerAddressMaximumIsRefused() throws InterruptedException {
        try (TestServer server = TestServer.start(Map.of("textchat.maxSocketsPerAddress", "3"))) {
            List<WsClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    WsClient client = server.connect();
                    client.sync(); // the server has counted it
                    clients.add(client);
                }
                try (RawClient fourth = RawClient.connect(server.signalUri(), null)) {
                    if (server.target().servletContainer()) {
                        assertEquals(429, fourth.status(), "the handshake is refused before the upgrade");
                    } else {
                        // Tyrus standalone: the endpoint cannot refuse a handshake; it closes the socket at once.
                        assertEquals(101, fourth.status());
                        assertEquals(1008, fourth.awaitClose(5_000));
                    }
                }
                clients.forEach(WsClient::sync);
                WsClient first = clients.remove(0);
                first.close();
                first.awaitClose();
                // The freed place is given back once the server has processed that close.
                boolean admitted = false;
                for (int attempt = 0; attempt < 50 && !admitted; attempt++) {
                    try (RawClient again = RawClient.connect(server.signalUri(), null)) {
                        admitted = again.status() == 101 && again.login("cap-again").getBoolean("success");
                    } catch (AssertionError closedAtOnce) {
                        // not yet: try again
                    }
                    if (!admitted) {
                        Thread.sleep(100);
                    }
                }
                assertTrue(admitted, "a socket is admitted again after one closed");
            } finally {
                clients.forEach(WsClient::close);
            }
        }
    }
}
