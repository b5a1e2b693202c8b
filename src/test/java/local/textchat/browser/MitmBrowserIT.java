package local.textchat.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import local.textchat.app.App;
import local.textchat.config.Settings;

/**
 * A dishonest signaling server ({@link DishonestSignaling}) puts mallory (src/test/resources/
 * mallory.js, a third page) between alice and bob: each talks to her, she forwards the chat both
 * ways, the safety-code exchange included. The chat works, so only the safety code can tell:
 * the two ends' codes must differ on every call, and a peer verified through an honest server
 * must show the changed-code warning when reached through the relay.
 */
class MitmBrowserIT {

    private static final int RUNS = 20;

    @RegisterExtension
    final BrowserHarness browser = new BrowserHarness();

    private final List<AutoCloseable> servers = new ArrayList<>();

    @AfterEach
    void stopServers() throws Exception {
        for (AutoCloseable server : servers) {
            server.close();
        }
    }

    @Test
    void throughARelayTheChatFlowsButTheCodesDifferOnEveryCall() throws Exception {
        DishonestSignaling.Running dishonest = started(DishonestSignaling.serve(0));
        ChatTab mallory = mallory(dishonest);
        ChatTab alice = browser.openTab(dishonest.page());
        alice.signInAndWait("alice");
        ChatTab bob = browser.openTab(dishonest.page());
        bob.signInAndWait("bob");

        Set<String> codes = new HashSet<>();
        for (int run = 1; run <= RUNS; run++) {
            ChatTab caller = run % 2 == 1 ? alice : bob;
            ChatTab callee = caller == alice ? bob : alice;
            caller.callAndConnect(callee);
            String callerCode = caller.awaitSafetyCode();
            String calleeCode = callee.awaitSafetyCode();
            assertNotEquals(callerCode, calleeCode, "run " + run + ": the relay must not get one code on both ends");
            codes.add(callerCode);
            codes.add(calleeCode);
            assertEquals("unverified", caller.safetyTrust());

            String text = "secret " + run;
            caller.send(text);
            callee.awaitMessage(text, false);
            callee.send("re: " + text);
            caller.awaitMessage("re: " + text, false);
            assertTrue(malloryRead(mallory).contains(text), "run " + run + ": the chat went through mallory");

            caller.hangUp();
            callee.awaitCallState("ended");
            caller.awaitCallState("ended");
        }
        assertEquals(RUNS, ((Number) mallory.script("return window.__mallory.calls")).intValue());
        assertEquals(List.of(), mallory.script("return window.__mallory.errors"));
        assertEquals(2 * RUNS, codes.size(), "every code of every call is new");
    }

    @Test
    void aPeerVerifiedBeforeShowsTheChangedCodeThroughTheRelay() throws Exception {
        int port = freePort();
        App app = App.start(Settings.of(Map.of("textchat.iceServers", BrowserHarness.ICE_SERVERS)));
        WebappServer honest = WebappServer.start(app, port);
        java.net.URI page = honest.page();
        ChatTab alice = browser.openTab(page);
        alice.signInAndWait("alice");
        ChatTab bob = browser.openTab(page);
        bob.signInAndWait("bob");
        alice.callAndConnect(bob);
        assertEquals(alice.awaitSafetyCode(), bob.awaitSafetyCode(), "the honest server is not in the middle");
        alice.markVerified();
        bob.markVerified();
        alice.hangUp();
        bob.awaitCallState("ended");

        // The same origin now answers with a server that lies.
        honest.close();
        DishonestSignaling.Running dishonest = started(DishonestSignaling.serve(port));
        assertEquals(page, dishonest.page());
        ChatTab mallory = mallory(dishonest);
        alice.reload();
        bob.reload();
        alice.signInAndWait("alice");
        bob.signInAndWait("bob");
        alice.callAndConnect(bob);

        alice.awaitSafetyTrust("changed");
        bob.awaitSafetyTrust("changed");
        assertEquals("bob's safety code changed", alice.element("safety-status-text").text());
        assertEquals("alice's safety code changed", bob.element("safety-status-text").text());
        assertFalse(alice.sendEnabled(), "nothing is sent to the relay before alice chose");
        assertFalse(bob.sendEnabled(), "nothing is sent to the relay before bob chose");
        assertNotEquals(alice.awaitSafetyCode(), bob.awaitSafetyCode());
        assertEquals(List.of(), malloryRead(mallory), "mallory read nothing");
    }

    private <T extends AutoCloseable> T started(T server) {
        servers.add(server);
        return server;
    }

    /** Mallory's tab: the dishonest server's page, running mallory.js beside it. */
    private ChatTab mallory(DishonestSignaling.Running dishonest) throws IOException {
        ChatTab mallory = browser.openTab(dishonest.page());
        mallory.script(resource("/mallory.js"), dishonest.signalUrl());
        mallory.await("mallory connected", t -> Boolean.TRUE.equals(t.script("return window.__mallory.ready")));
        return mallory;
    }

    @SuppressWarnings("unchecked")
    private static List<String> malloryRead(ChatTab mallory) {
        return (List<String>) mallory.script("return window.__mallory.texts");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = MitmBrowserIT.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
