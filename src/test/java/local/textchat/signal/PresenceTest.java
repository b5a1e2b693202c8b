package local.textchat.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import org.junit.jupiter.api.Test;

import local.textchat.support.WithServer;
import local.textchat.support.WsClient;

/** PROTOCOL.md: online / offline presence and the users list in the login reply. */
class PresenceTest extends WithServer {


    @Test
    void everyoneHearsOfALoginButNotTheNewcomerItself() {
        try (WsClient alice = server.login("p-alice"); WsClient carol = server.login("p-carol")) {
            alice.next("online");
            try (WsClient bob = server.connect()) {
                JsonObject reply = bob.login("p-bob");
                List<String> users = reply.getJsonArray("users").getValuesAs(JsonString::getString);
                assertTrue(users.containsAll(List.of("p-alice", "p-carol")), users::toString);
                assertEquals("p-bob", alice.next("online").getString("name"));
                assertEquals("p-bob", carol.next("online").getString("name"));
                bob.expectSilence(200);
            }
        }
    }

    @Test
    void everyoneHearsWhenAUserGoesAway() {
        try (WsClient alice = server.login("g-alice")) {
            WsClient bob = server.login("g-bob");
            alice.next("online");
            bob.close();
            JsonObject offline = alice.next("offline");
            assertEquals("g-bob", offline.getString("name"));
        }
    }

    @Test
    void aRefusedLoginIsNotAnnounced() {
        try (WsClient alice = server.login("ra-alice"); WsClient twin = server.connect()) {
            twin.send("{\"type\":\"login\",\"name\":\"ra-alice\"}");
            twin.next("login");
            twin.close();
            alice.expectSilence(300);
        }
    }
}
