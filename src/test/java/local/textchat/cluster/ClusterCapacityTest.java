package local.textchat.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import local.textchat.support.ClusterServer;
import local.textchat.support.RedisServer;
import local.textchat.support.WsClient;

/** PROTOCOL.md, Capacity: in a cluster the maximum of logged-in users counts users on every node. */
class ClusterCapacityTest {

    @Test
    void usersOnOtherNodesCountTowardsTheMaximum() {
        Map<String, String> settings = Map.of("textchat.maxUsers", "2");
        try (RedisServer redis = RedisServer.start();
             ClusterServer one = ClusterServer.start(redis.url(), settings);
             ClusterServer two = ClusterServer.start(redis.url(), settings);
             WsClient alice = one.login("cap-alice"); WsClient bob = two.login("cap-bob")) {
            alice.nextMatching(m -> m.getString("type").equals("online"));
            try (WsClient carol = one.connect()) {
                carol.send("{\"type\":\"login\",\"name\":\"cap-carol\"}");
                JsonObject reply = carol.next("login");
                assertFalse(reply.getBoolean("success"));
                assertEquals("server-full", reply.getString("reason"));
            }
        }
    }
}
