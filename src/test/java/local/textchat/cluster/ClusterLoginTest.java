package local.textchat.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import local.textchat.support.ClusterServer;
import local.textchat.support.RawClient;
import local.textchat.support.RedisServer;
import local.textchat.support.WsClient;

/** Names are unique across the cluster (case-insensitively), and a resume may land on any node. */
class ClusterLoginTest {

    private static RedisServer redis;
    private static List<ClusterServer> nodes = new ArrayList<>();

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        for (int i = 0; i < 3; i++) {
            nodes.add(ClusterServer.start(redis.url()));
        }
    }

    @AfterAll
    static void stop() {
        nodes.forEach(ClusterServer::close);
        if (redis != null) {
            redis.close();
        }
    }

    private static String login(String name) {
        return Json.createObjectBuilder().add("type", "login").add("name", name).build().toString();
    }

    private static String resume(String name, String token) {
        return Json.createObjectBuilder().add("type", "login").add("name", name).add("token", token).build().toString();
    }

    @Test
    void exactlyOneOfFiftyRacingLoginsSpreadOverThreeNodesWins() throws Exception {
        int n = 50;
        List<WsClient> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            clients.add(nodes.get(i % nodes.size()).connect());
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<JsonObject>> replies = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                WsClient client = clients.get(i);
                String spelling = i % 2 == 0 ? "Race" : "rACE";
                replies.add(pool.submit(() -> {
                    go.await();
                    client.send(login(spelling));
                    return client.next("login");
                }));
            }
            go.countDown();
            int won = 0;
            for (Future<JsonObject> reply : replies) {
                JsonObject r = reply.get(20, TimeUnit.SECONDS);
                if (r.getBoolean("success")) {
                    won++;
                } else {
                    assertEquals("taken", r.getString("reason"), r::toString);
                }
            }
            assertEquals(1, won, "exactly one login wins");
        } finally {
            pool.shutdownNow();
            clients.forEach(WsClient::close);
        }
    }

    @Test
    void theSameNameInAnotherCaseOnAnotherNodeIsTaken() {
        try (WsClient alice = nodes.get(0).login("Ärger"); WsClient other = nodes.get(1).connect()) {
            other.send(login("ÄRGER"));
            JsonObject reply = other.next("login");
            assertFalse(reply.getBoolean("success"));
            assertEquals("taken", reply.getString("reason"));
            assertTrue(alice.isOpen());
        }
    }

    @Test
    void aDroppedUserResumesOnAnotherNodeWithItsCallsAndThePeerSeesNoLeave() {
        try (WsClient bob = nodes.get(2).login("x-bob");
             RawClient alice = RawClient.connect(nodes.get(0).signalUri(), null)) {
            String token = alice.login("x-alice").getString("token");
            alice.send("{\"type\":\"offer\",\"name\":\"x-bob\",\"offer\":" + ClusterRelayTest.OFFER + "}");
            bob.next("offer");
            alice.drop();
            try (WsClient back = nodes.get(1).connect()) {
                back.send(resume("x-alice", token));
                JsonObject reply = back.next("login");
                assertTrue(reply.getBoolean("success"), reply::toString);
                assertEquals("x-alice", reply.getString("name"));
                bob.send("{\"type\":\"candidate\",\"name\":\"x-alice\",\"candidate\":null}");
                assertEquals("x-bob", back.next("candidate").getString("name"));
                back.send("{\"type\":\"answer\",\"name\":\"x-bob\",\"answer\":" + ClusterRelayTest.ANSWER + "}");
                assertEquals("x-alice", bob.next("answer").getString("name"));
                bob.sync();
                assertEquals(0, bob.pending(), "bob saw neither leave nor offline");
            }
        }
    }

    @Test
    void aResumeOnAnotherNodeClosesTheOldSocketWith4001() {
        try (WsClient alice = nodes.get(0).connect()) {
            String token = alice.login("y-alice").getString("token");
            try (WsClient second = nodes.get(2).connect()) {
                second.send(resume("Y-ALICE", token));
                JsonObject reply = second.next("login");
                assertTrue(reply.getBoolean("success"), reply::toString);
                assertEquals(4001, alice.awaitClose().getCloseCode().getCode());
                try (WsClient third = nodes.get(1).connect()) {
                    third.send(resume("y-alice", token));
                    assertEquals("taken", third.next("login").getString("reason"), "the old token is spent");
                }
            }
        }
    }
}
