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

/** Every login reply carries TURN credentials minted for that user, and the transport policy. */
class TurnLoginTest {

    @Test
    void loginReplyCarriesMintedTurnCredentialsAndThePolicy() {
        try (TestServer server = TestServer.start(Map.of(
                "textchat.iceServers", "[{\"urls\":\"stun:127.0.0.1:3478\"}]",
                "textchat.turnUrls", "turn:127.0.0.1:3478?transport=udp,turn:127.0.0.1:3478?transport=tcp",
                "textchat.turnSecret", "s3cr3t-exp-turn",
                "textchat.turnTtlSeconds", "600",
                "textchat.iceTransportPolicy", "relay"));
             WsClient alice = server.connect()) {
            long before = System.currentTimeMillis() / 1000;
            JsonObject reply = alice.login("alice");
            assertEquals("relay", reply.getString("iceTransportPolicy"));
            JsonArray servers = reply.getJsonArray("iceServers");
            assertEquals(2, servers.size());
            JsonObject turn = servers.getJsonObject(1);
            String username = turn.getString("username");
            long expiry = Long.parseLong(username.substring(0, username.indexOf(':')));
            assertTrue(expiry >= before + 600 && expiry <= before + 602, username);
            assertEquals(":alice", username.substring(username.indexOf(':')));
            assertEquals(new TurnCredentials("s3cr3t-exp-turn", 600).hmac(username), turn.getString("credential"));
            assertEquals(2, turn.getJsonArray("urls").size());
        }
    }
}
