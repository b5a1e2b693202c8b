package local.textchat.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

import local.textchat.app.App;
import local.textchat.config.Settings;
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

    /** Runs after the browser has quit (extensions end in the reverse order of theirs). */
    @RegisterExtension
    @Order(1)
    final AfterEachCallback stop = context -> {
        nodes.forEach(WebappServer::close);
        if (redis != null) {
            redis.close();
        }
    };

    @RegisterExtension
    @Order(2)
    final BrowserHarness browser = BrowserHarness.against(() -> {
        redis = RedisServer.start();
        for (int i = 0; i < 2; i++) {
            App app = App.start(Settings.of(Map.of("textchat.iceServers", BrowserHarness.ICE_SERVERS,
                    "textchat.redisUrl", redis.url())));
            try {
                nodes.add(WebappServer.start(app));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return nodes.get(0).page();
    });

    @Test
    void aliceOnNodeOneTalksWithBobAndCarolOnNodeTwoAtOnce() {
        ChatTab alice = browser.openTab();
        alice.signInAndWait("alice");
        ChatTab bob = browser.openTab(nodes.get(1).page());
        bob.signInAndWait("bob");
        ChatTab carol = browser.openTab(nodes.get(1).page());
        carol.signInAndWait("carol");
        alice.awaitUser("carol");
        SeveralConversationsBrowserIT.aliceTalksWithBobAndCarolAtOnce(alice, bob, carol, false);
    }

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
