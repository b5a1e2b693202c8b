package local.textchat.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
    void socketsPastThePerAddressMaximumAreClosedWith1008() {
        try (TestServer server = TestServer.start(Map.of("textchat.maxSocketsPerAddress", "3"));
             WsClient a = server.connect(); WsClient b = server.connect(); WsClient c = server.connect();
             WsClient d = server.connect()) {
            assertEquals(1008, d.awaitClose().getCloseCode().getCode());
            a.sync();
            c.close();
            a.sync();
            try (WsClient e = server.connect()) {
                e.login("e");
            }
        }
    }
}
