package local.textchat.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import local.textchat.support.ClusterServer;
import local.textchat.support.RedisServer;
import local.textchat.support.WsClient;

/**
 * Redis stops and comes back empty. Meanwhile calls between users of one node go on and logins
 * get a quick {@code unavailable}; afterwards the nodes have re-taken the names they hold, a new
 * call across nodes works, and a name whose socket closed during the outage is free.
 */
class RedisRestartTest {

    private static final String OFFER = ClusterRelayTest.OFFER;

    private static JsonObject login(ClusterServer node, String name) {
        try (WsClient client = node.connect()) {
            client.send("{\"type\":\"login\",\"name\":\"" + name + "\"}");
            return client.next("login");
        }
    }

    /** Log in on {@code node} as soon as it has (re)joined the cluster. */
    private static WsClient loginOnceUp(ClusterServer node, String name, long deadline) throws InterruptedException {
        while (true) {
            WsClient client = node.connect();
            client.send("{\"type\":\"login\",\"name\":\"" + name + "\"}");
            JsonObject reply = client.next("login");
            if (reply.getBoolean("success")) {
                return client;
            }
            client.close();
            assertEquals("unavailable", reply.getString("reason"), reply::toString);
            assertTrue(System.nanoTime() < deadline, "the node never joined");
            Thread.sleep(200);
        }
    }

    @Test
    void aNodeStartedWhileRedisIsDownRefusesLoginsThenJoinsWhenItIsUp() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            redis.stop();
            try (ClusterServer one = ClusterServer.start(redis.url()); ClusterServer two = ClusterServer.start(redis.url())) {
                JsonObject refused = login(one, "w-alice");
                assertEquals("unavailable", refused.getString("reason"), refused::toString);
                redis.restart();
                long deadline = System.nanoTime() + 10_000_000_000L;
                WsClient alice = loginOnceUp(one, "w-alice", deadline);
                try (WsClient bob = loginOnceUp(two, "w-bob", deadline); WsClient a = alice) {
                    a.nextMatching(m -> m.getString("type").equals("online") && m.getString("name").equals("w-bob"));
                    bob.send("{\"type\":\"offer\",\"name\":\"w-alice\",\"offer\":" + OFFER + "}");
                    assertEquals("w-bob", a.nextMatching(m -> m.getString("type").equals("offer")).getString("name"));
                }
            }
        }
    }

    @Test
    void nodesRideOutARedisRestart() throws Exception {
        try (RedisServer redis = RedisServer.start();
             ClusterServer one = ClusterServer.start(redis.url());
             ClusterServer two = ClusterServer.start(redis.url());
             WsClient alice = one.login("z-alice"); WsClient carol = one.login("z-carol");
             WsClient bob = two.login("z-bob")) {
            WsClient dave = one.login("z-dave");
            alice.send("{\"type\":\"offer\",\"name\":\"z-carol\",\"offer\":" + OFFER + "}");
            carol.next("offer");
            alice.send("{\"type\":\"offer\",\"name\":\"z-bob\",\"offer\":" + OFFER + "}");
            bob.next("offer");

            redis.stop();
            // Logins need Redis: refused with a reason, quickly, not left hanging.
            long asked = System.nanoTime();
            JsonObject refused = login(one, "z-erin");
            long refusedMs = (System.nanoTime() - asked) / 1_000_000;
            assertFalse(refused.getBoolean("success"));
            assertEquals("unavailable", refused.getString("reason"));
            assertTrue(refusedMs < 3000, "the refusal took " + refusedMs + " ms");
            // A call between two users of one node does not need Redis.
            carol.send("{\"type\":\"answer\",\"name\":\"z-alice\",\"answer\":" + ClusterRelayTest.ANSWER + "}");
            assertEquals("z-carol", alice.nextMatching(m -> m.getString("type").equals("answer")).getString("name"));
            // dave leaves while his name cannot be freed in Redis.
            dave.close();
            dave.awaitClose();
            System.out.printf("redis down: login refused after %d ms%n", refusedMs);

            long restarted = System.nanoTime();
            redis.restart();
            JsonObject erin = null;
            while (System.nanoTime() - restarted < 10_000_000_000L) {
                erin = login(two, "z-erin");
                if (erin.getBoolean("success")) {
                    break;
                }
                Thread.sleep(100);
            }
            assertTrue(erin.getBoolean("success"), () -> "no login after the restart: ");
            System.out.printf("redis back: logins work again %d ms after the restart%n",
                    (System.nanoTime() - restarted) / 1_000_000);

            // The names still held were taken again by their nodes; dave's is free.
            assertEquals("taken", login(two, "Z-ALICE").getString("reason"));
            assertEquals("taken", login(one, "z-bob").getString("reason"));
            assertTrue(login(two, "z-dave").getBoolean("success"), "dave's name is free");

            // A new call across the nodes works, and the one from before the outage still does.
            try (WsClient frank = two.login("z-frank")) {
                frank.send("{\"type\":\"offer\",\"name\":\"z-alice\",\"offer\":" + OFFER + "}");
                assertEquals("z-frank", alice.nextMatching(m -> m.getString("type").equals("offer")).getString("name"));
                alice.send("{\"type\":\"answer\",\"name\":\"z-frank\",\"answer\":" + ClusterRelayTest.ANSWER + "}");
                assertEquals("z-alice", frank.nextMatching(m -> m.getString("type").equals("answer")).getString("name"));
            }
            bob.send("{\"type\":\"candidate\",\"name\":\"z-alice\",\"candidate\":null}");
            assertEquals("z-bob", alice.nextMatching(m -> m.getString("type").equals("candidate")).getString("name"));

            // Once every socket is gone, so is every name, with the nodes still running.
            alice.close();
            carol.close();
            bob.close();
            // A Tyrus client's clean close sometimes reaches the server as 1006 (no close frame seen),
            // and then the name is held for the 10 s grace period first.
            long deadline = System.nanoTime() + 20_000_000_000L;
            List<String> names = redis.keys("textchat:name:*");
            while (!names.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
                names = redis.keys("textchat:name:*");
            }
            assertEquals(List.of(), names, "names left claimed in Redis");
        }
    }
}
