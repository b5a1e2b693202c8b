package local.textchat.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import local.textchat.support.ClusterServer;
import local.textchat.support.RedisServer;
import local.textchat.support.TcpProxy;
import local.textchat.support.WsClient;

/**
 * One node cut off from Redis for longer than the lease, while the others still reach it: they
 * take it for dead (its users' peers get leave, the names are free). When it is back it learns
 * so: it ends its users' calls with users elsewhere, closes (1012) the socket of a user whose name
 * someone else took meanwhile, and announces its other users again.
 */
class PartitionTest {

    private static final int LEASE = 3;

    @Test
    void aNodeCutOffLongerThanTheLeaseIsBuriedAndComesBackConsistent() {
        Map<String, String> settings = Map.of("textchat.clusterLeaseSeconds", Integer.toString(LEASE));
        try (RedisServer redis = RedisServer.start(); TcpProxy link = TcpProxy.to(redis.port());
             ClusterServer one = ClusterServer.start(redis.url(), settings);
             ClusterServer two = ClusterServer.start("redis://127.0.0.1:" + link.port(), settings);
             WsClient alice = one.login("s-alice"); WsClient bob = two.login("s-bob"); WsClient dan = two.login("s-dan")) {
            alice.send("{\"type\":\"offer\",\"name\":\"s-bob\",\"offer\":" + ClusterRelayTest.OFFER + "}");
            bob.next("offer");

            long cutAt = System.nanoTime();
            link.cut();
            // bob's leave, and dan's offline (in either order: the dead node's users go in no particular order).
            Set<String> gone = new HashSet<>();
            alice.nextMatching(m -> {
                gone.add(m.getString("type") + " " + m.getString("name", ""));
                return gone.containsAll(List.of("leave s-bob", "offline s-dan"));
            }, LEASE + 5);
            System.out.printf("partition: the peer got leave after %d ms (lease %d s)%n",
                    (System.nanoTime() - cutAt) / 1_000_000, LEASE);
            // Meanwhile the cut-off node's users still reach each other.
            bob.send("{\"type\":\"offer\",\"name\":\"s-dan\",\"offer\":" + ClusterRelayTest.OFFER + "}");
            assertEquals("s-bob", dan.next("offer").getString("name"));
            try (WsClient thief = one.login("s-dan")) {
                link.heal();
                assertEquals(1012, dan.awaitClose().getCloseCode().getCode(), "dan's name was taken: his socket closes");
                // bob hears that both his calls ended: dan's (his name went) and alice's (she was told he went).
                Set<String> seen = new HashSet<>();
                bob.nextMatching(m -> {
                    seen.add(m.getString("type") + " " + m.getString("name", ""));
                    return seen.containsAll(List.of("leave s-alice", "leave s-dan"));
                });
                alice.nextMatching(m -> m.getString("type").equals("online") && m.getString("name").equals("s-bob"));

                // And a new call across the nodes works.
                alice.send("{\"type\":\"offer\",\"name\":\"s-bob\",\"offer\":" + ClusterRelayTest.OFFER + "}");
                assertEquals("s-alice", bob.nextMatching(m -> m.getString("type").equals("offer")).getString("name"));
                bob.send("{\"type\":\"answer\",\"name\":\"s-alice\",\"answer\":" + ClusterRelayTest.ANSWER + "}");
                assertEquals("s-bob", alice.nextMatching(m -> m.getString("type").equals("answer")).getString("name"));
                assertTrue(thief.isOpen());
            }
        }
    }
}
