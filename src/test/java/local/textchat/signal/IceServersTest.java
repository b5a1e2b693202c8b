package local.textchat.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import local.textchat.ice.TurnCredentials;
import local.textchat.support.TestServer;
import local.textchat.support.WsClient;

/**
 * PROTOCOL.md, Fresh ICE servers: {@code ice-servers} answers with the list a login would get now,
 * TURN credentials minted afresh, behind its own small rate limit.
 */
class IceServersTest {

    private static final String REQUEST = "{\"type\":\"ice-servers\"}";

    /** The same settings as TurnLoginTest's, so that a container started for them serves both. */
    private static final Map<String, String> TURN = Map.of(
            "textchat.iceServers", "[{\"urls\":\"stun:127.0.0.1:3478\"}]",
            "textchat.turnUrls", "turn:127.0.0.1:3478?transport=udp,turn:127.0.0.1:3478?transport=tcp",
            "textchat.turnSecret", "s3cr3t-exp-turn",
            "textchat.turnTtlSeconds", "600",
            "textchat.iceTransportPolicy", "relay");

    @Test
    void aRequestBeforeLoginIsRefused() {
        try (TestServer server = TestServer.start(); WsClient client = server.connect()) {
            client.send(REQUEST);
            assertEquals("not-logged-in", client.next("error").getString("code"));
            assertTrue(client.isOpen());
        }
    }

    @Test
    void theAnswerIsWhatTheLoginGave() {
        try (TestServer server = TestServer.start(); WsClient alice = server.connect()) {
            JsonObject login = alice.login("alice");
            alice.send(REQUEST);
            JsonObject reply = alice.next("ice-servers");
            assertEquals(login.getJsonArray("iceServers"), reply.getJsonArray("iceServers"), reply::toString);
            assertEquals(login.getString("iceTransportPolicy"), reply.getString("iceTransportPolicy"));
        }
    }

    @Test
    void turnCredentialsAreMintedAfresh() throws InterruptedException {
        try (TestServer server = TestServer.start(TURN); WsClient alice = server.connect()) {
            long atLogin = expiry(alice.login("alice").getJsonArray("iceServers"));
            Thread.sleep(1_100); // credentials carry their expiry in whole seconds
            long before = System.currentTimeMillis() / 1000;
            alice.send("{\"type\":\"ice-servers\",\"extra\":true}");
            JsonObject reply = alice.next("ice-servers");
            assertEquals("relay", reply.getString("iceTransportPolicy"));
            JsonArray servers = reply.getJsonArray("iceServers");
            assertEquals(2, servers.size(), reply::toString);
            assertEquals("stun:127.0.0.1:3478", servers.getJsonObject(0).getString("urls"));
            JsonObject turn = servers.getJsonObject(1);
            String username = turn.getString("username");
            long fresh = expiry(servers);
            assertTrue(fresh > atLogin, "minted again: " + fresh + " after " + atLogin);
            assertTrue(fresh >= before + 600 && fresh <= before + 602, username);
            assertEquals(":alice", username.substring(username.indexOf(':')));
            assertEquals(new TurnCredentials("s3cr3t-exp-turn", 600).hmac(username), turn.getString("credential"));
        }
    }

    @Test
    void requestsPastTheirOwnLimitAreRefusedAndTheSocketStays() {
        try (TestServer server = TestServer.start(); WsClient alice = server.connect()) {
            alice.login("alice");
            for (int i = 0; i < 8; i++) {
                alice.send(REQUEST);
            }
            int answered = 0;
            int refused = 0;
            for (int i = 0; i < 8; i++) {
                JsonObject m = alice.next();
                if (m.getString("type").equals("ice-servers")) {
                    answered++;
                } else {
                    assertEquals("rate-limited", m.getString("code"), m::toString);
                    assertTrue(m.getString("message").contains("ice-servers"), m::toString);
                    refused++;
                }
            }
            // Five at once; a slow machine may have earned one more meanwhile (one every 5 s).
            assertTrue(answered == 5 || answered == 6, "answered " + answered);
            assertEquals(8 - answered, refused);
            alice.send("{\"type\":\"ping\",\"id\":1}");
            assertEquals(1, alice.next("pong").getInt("id"));
            assertTrue(alice.isOpen());
        }
    }

    private static long expiry(JsonArray servers) {
        String username = servers.getJsonObject(servers.size() - 1).getString("username");
        return Long.parseLong(username.substring(0, username.indexOf(':')));
    }
}
