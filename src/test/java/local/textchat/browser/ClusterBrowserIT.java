package local.textchat.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

import local.textchat.signal.SignalConfigurator;
import local.textchat.signal.Switchboard;
import local.textchat.support.RedisServer;
import local.textchat.support.WsClient;

/**
 * Two nodes of a cluster, each serving the real page, joined through a real redis-server: alice's
 * tab is on node one, bob's on node two, and they find each other, call, chat and hang up as on
 * one server.
 */
class ClusterBrowserIT {

    private RedisServer redis;
    private final List<WebappServer> nodes = new ArrayList<>();
    private final List<Switchboard> switchboards = new ArrayList<>();

    /** Runs after the browser has quit (extensions end in the reverse order of theirs). */
    @RegisterExtension
    @Order(1)
    final AfterEachCallback stop = context -> {
        switchboards.forEach(Switchboard::shutdown);
        nodes.forEach(WebappServer::close);
        if (redis != null) {
            redis.close();
        }
        for (String key : List.of("textchat.iceServers", "textchat.redisUrl")) {
            System.clearProperty(key);
        }
    };

    @RegisterExtension
    @Order(2)
    final BrowserHarness browser = BrowserHarness.against(() -> {
        redis = RedisServer.start();
        System.setProperty("textchat.iceServers", BrowserHarness.ICE_SERVERS);
        System.setProperty("textchat.redisUrl", redis.url());
        for (int i = 0; i < 2; i++) {
            Set<Switchboard> before = SignalConfigurator.live();
            WebappServer node;
            try {
                node = WebappServer.start(Path.of("src/main/webapp"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            nodes.add(node);
            // The first connection builds the node's switchboard and joins it to the cluster.
            URI page = node.page();
            WsClient.connect(URI.create("ws://" + page.getHost() + ":" + page.getPort() + page.getPath() + "signal"),
                    Map.of("Origin", "http://" + page.getHost() + ":" + page.getPort())).close();
            Set<Switchboard> built = new HashSet<>(SignalConfigurator.live());
            built.removeAll(before);
            switchboards.addAll(built);
        }
        return nodes.get(0).page();
    });

    @Test
    void aliceOnNodeOneAndBobOnNodeTwoCallChatAndHangUp() {
        assertNotEquals(nodes.get(0).page(), nodes.get(1).page());
        ChatTab alice = browser.openTab();
        alice.signInAndWait("Alice");
        ChatTab bob = browser.openTab(nodes.get(1).page());
        bob.signInAndWait("Bob");
        bob.awaitUser("Alice");
        alice.awaitUser("Bob");

        alice.callAndConnect(bob);
        assertEquals("In a call with Bob", alice.callText());
        alice.send("Hello from node one!");
        bob.awaitMessage("Hello from node one!", false);
        alice.awaitDelivered("Hello from node one!");
        bob.send("Node two here. 你好 👋");
        alice.awaitMessage("Node two here. 你好 👋", false);
        bob.awaitDelivered("Node two here. 你好 👋");

        alice.hangUp();
        alice.awaitCallState("ended");
        bob.awaitCallState("ended");
        bob.awaitSystemMessageContaining("Alice left the call.");
    }

    @Test
    void whileRedisIsDownSignInSaysSoAndWorksOnceItIsBack() {
        ChatTab carol = browser.openTab();
        redis.stop();
        carol.signIn("Carol");
        assertEquals("The server cannot sign anyone in right now. Please try again in a moment.", carol.signInError());
        assertTrue(carol.signInShown());

        redis.restart();
        nodes.forEach(node -> awaitLoginsAccepted(node.page()));
        carol.signInAndWait("Carol");
        ChatTab dave = browser.openTab(nodes.get(1).page());
        dave.signInAndWait("Dave");
        dave.awaitUser("Carol");
    }

    /** Wait until the node serving {@code page} has rejoined the cluster and takes logins again. */
    private static void awaitLoginsAccepted(URI page) {
        URI signal = URI.create("ws://" + page.getHost() + ":" + page.getPort() + page.getPath() + "signal");
        Map<String, String> origin = Map.of("Origin", "http://" + page.getHost() + ":" + page.getPort());
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try (WsClient probe = WsClient.connect(signal, origin)) {
                probe.send("{\"type\":\"login\",\"name\":\"probe\"}");
                if (probe.next("login").getBoolean("success")) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the node took no login within 30 s of Redis coming back");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
