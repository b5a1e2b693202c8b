package local.textchat.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import local.textchat.support.ClusterServer;
import local.textchat.support.NodeProcess;
import local.textchat.support.RedisServer;
import local.textchat.support.WsClient;

/**
 * A node killed with SIGKILL (its own JVM): no close frames, no goodbye. Its users' peers on other
 * nodes get {@code leave} and {@code offline} once its lease has lapsed, within lease + 1 s (the
 * dead-node check runs every second), and their names are free again.
 */
class NodeDeathTest {

    /** Short in CI; run with {@code -Dcluster.leaseSeconds=15} to measure the default. */
    private static final int LEASE = Integer.getInteger("cluster.leaseSeconds", 3);

    @Test
    void peersOfAKilledNodesUsersGetLeaveWithinTheLeaseAndTheNamesAreFree() {
        Map<String, String> settings = Map.of("textchat.clusterLeaseSeconds", Integer.toString(LEASE));
        try (RedisServer redis = RedisServer.start();
             ClusterServer one = ClusterServer.start(redis.url(), settings);
             NodeProcess doomed = NodeProcess.start(redis.url(), settings);
             WsClient alice = one.login("k-alice"); WsClient carol = one.login("k-carol")) {
            WsClient bob = doomed.login("k-bob");
            alice.send("{\"type\":\"offer\",\"name\":\"k-bob\",\"offer\":" + ClusterRelayTest.OFFER + "}");
            assertEquals("k-alice", bob.next("offer").getString("name"));

            long killed = System.nanoTime();
            doomed.kill();
            JsonObject leave = alice.nextMatching(m -> m.getString("type").equals("leave"), LEASE + 5);
            long leaveMs = (System.nanoTime() - killed) / 1_000_000;
            assertEquals("k-bob", leave.getString("name"));
            alice.nextMatching(m -> m.getString("type").equals("offline") && m.getString("name").equals("k-bob"), 5);
            carol.nextMatching(m -> m.getString("type").equals("offline") && m.getString("name").equals("k-bob"), 5);
            System.out.printf("node killed: its peer got leave after %d ms (lease %d s)%n", leaveMs, LEASE);
            assertTrue(leaveMs <= (LEASE + 2) * 1000L, "leave came " + leaveMs + " ms after the kill");

            try (WsClient again = one.login("K-Bob")) {
                alice.send("{\"type\":\"candidate\",\"name\":\"k-bob\",\"candidate\":null}");
                alice.nextError("not-in-call");
            }
            bob.close();
        }
    }
}
