package local.textchat.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

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
    void socketsPastThePerAddressMaximumAreClosedWith1008() throws InterruptedException {
        try (TestServer server = TestServer.start(Map.of("textchat.maxSocketsPerAddress", "3"))) {
            List<WsClient> clients = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                clients.add(server.connect());
            }
            try {
                // The server admits sockets as their @OnOpen runs, which need not be in connect order.
                long deadline = System.nanoTime() + WsClient.TIMEOUT.toNanos();
                List<WsClient> closed = List.of();
                while (closed.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                    closed = clients.stream().filter(c -> !c.isOpen()).toList();
                }
                assertEquals(1, closed.size(), "exactly one of four sockets is refused");
                assertEquals(1008, closed.get(0).awaitClose().getCloseCode().getCode());
                List<WsClient> open = new ArrayList<>(clients);
                open.removeAll(closed);
                open.forEach(WsClient::sync);
                open.get(0).close();
                open.get(0).awaitClose();
                // The freed place is given back once the server has processed that close.
                boolean admitted = false;
                for (int attempt = 0; attempt < 50 && !admitted; attempt++) {
                    try (WsClient again = server.connect()) {
                        again.sync();
                        admitted = again.isOpen();
                    } catch (AssertionError | IllegalStateException refused) {
                        // Refused: closed before (IllegalStateException) or while (AssertionError) sync ran.
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
