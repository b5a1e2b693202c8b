package local.textchat.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import local.textchat.support.ClusterServer;
import local.textchat.support.RedisServer;
import local.textchat.support.WsClient;

/** Presence and going away across three nodes: everyone hears of everyone, wherever they are. */
class ClusterPresenceTest {

    private static RedisServer redis;
    private static ClusterServer one;
    private static ClusterServer two;
    private static ClusterServer three;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        one = ClusterServer.start(redis.url());
        two = ClusterServer.start(redis.url());
        three = ClusterServer.start(redis.url());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {one, two, three, redis}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }

    private static JsonObject presence(WsClient client, String type, String name) {
        return client.nextMatching(m -> type.equals(m.getString("type")) && name.equals(m.getString("name", "")));
    }

    @Test
    void aLoginIsAnnouncedOnEveryNodeAndListedToNewcomersEverywhere() {
        try (WsClient alice = one.login("p-alice"); WsClient carol = three.login("p-carol")) {
            presence(alice, "online", "p-carol");
            try (WsClient bob = two.connect()) {
                List<String> users = bob.login("p-bob").getJsonArray("users").getValuesAs(JsonString::getString);
                assertTrue(users.containsAll(List.of("p-alice", "p-carol")), users::toString);
                presence(alice, "online", "p-bob");
                presence(carol, "online", "p-bob");
            }
        }
    }

    @Test
    void closingOnOneNodeTellsThePeerOnAnotherLeaveThenOffline() {
        try (WsClient alice = one.login("g-alice"); WsClient carol = three.login("g-carol")) {
            WsClient bob = two.login("g-bob");
            alice.send("{\"type\":\"offer\",\"name\":\"g-bob\",\"offer\":" + ClusterRelayTest.OFFER + "}");
            bob.next("offer");
            bob.close();
            assertEquals("g-bob", alice.next("leave").getString("name"));
            presence(alice, "offline", "g-bob");
            presence(carol, "offline", "g-bob");
            alice.send("{\"type\":\"candidate\",\"name\":\"g-bob\",\"candidate\":null}");
            alice.nextError("not-in-call");
        }
    }

    @Test
    void aNameFreedOnOneNodeCanBeTakenOnAnother() {
        WsClient first = one.login("f-dora");
        first.close();
        first.awaitClose();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            try (WsClient again = three.connect()) {
                again.send("{\"type\":\"login\",\"name\":\"F-Dora\"}");
                JsonObject reply = again.next("login");
                if (reply.getBoolean("success")) {
                    assertEquals("F-Dora", reply.getString("name"));
                    return;
                }
                assertTrue(System.nanoTime() < deadline, "the name stayed taken: " + reply);
            }
        }
    }
}
