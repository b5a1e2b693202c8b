package local.textchat.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.json.Json;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import local.textchat.browser.Browser.Kind;

/**
 * Calls across a real coturn ({@link Coturn}, one per test) with the credentials the server mints
 * at login: a relay-only call works over UDP and over TCP to the TURN server; a call that cannot
 * connect (wrong secret, TURN silent, relay without a route, no TURN at all) is explained in plain
 * words instead of hanging; and a TURN server that dies mid-call and comes back is recovered from
 * by the caller's ICE restart without anyone doing anything. In Chromium and in Firefox. Prints
 * the measured times ("TURN timing: …").
 */
class TurnBrowserIT {

    @RegisterExtension
    final BrowserHarness browser = new BrowserHarness();

    /** The client gives up on a relay that never answers after 10 s; this much more on a busy machine. */
    private static final Duration NO_HANG = Duration.ofSeconds(30);
    private static final Pattern ICE_UFRAG = Pattern.compile("a=ice-ufrag:(\\S+)");

    private Coturn coturn;

    @AfterEach
    void stopCoturn() {
        if (coturn != null) {
            coturn.close();
        }
    }

    static Stream<Arguments> browserAndTransport() {
        return Stream.of(Kind.values()).flatMap(kind -> Stream.of("udp", "tcp").map(t -> Arguments.of(kind, t)));
    }

    @ParameterizedTest(name = "in {0}, relay only, {1} to the TURN server")
    @MethodSource("browserAndTransport")
    void aRelayOnlyCallChatsBothWaysThroughCoturn(Kind kind, String transport) {
        coturn = Coturn.start();
        browser.settings(turnSettings(coturn.url(transport), coturn.secret(), "relay"));
        ChatTab alice = browser.signedIn(kind, "alice");
        ChatTab bob = browser.signedIn(kind, "bob");

        long setUp = callAndMeasureSetUp(alice, bob);
        report(kind + ", set-up, relay only over " + transport, setUp);

        alice.send("Hello through the relay");
        bob.awaitMessage("Hello through the relay", false);
        alice.awaitDelivered("Hello through the relay");
        bob.send("中文也可以 👋");
        alice.awaitMessage("中文也可以 👋", false);
        bob.awaitDelivered("中文也可以 👋");
        for (ChatTab tab : List.of(alice, bob)) {
            Map<String, Map<String, Object>> pair = tab.selectedPair();
            assertNotNull(pair, tab.name() + " has no selected candidate pair");
            assertEquals("relay", pair.get("local").get("candidateType"), tab.name() + ": " + pair);
            assertEquals("relay", pair.get("remote").get("candidateType"), tab.name() + ": " + pair);
            assertEquals(transport, pair.get("local").get("relayProtocol"), tab.name() + ": " + pair);
        }
        alice.await("the page calls the route relayed",
                d -> alice.element("call-route-text").getDomProperty("textContent").startsWith("Relayed connection"));
    }

    /** The comparison for the figures above: TURN offered, but ICE may pick the direct path. */
    @ParameterizedTest(name = "in {0}")
    @EnumSource(Kind.class)
    void withPolicyAllTheDirectPathIsPreferredOverTheRelay(Kind kind) {
        coturn = Coturn.start();
        browser.settings(turnSettings(coturn.url("udp"), coturn.secret(), "all"));
        ChatTab alice = browser.signedIn(kind, "alice");
        ChatTab bob = browser.signedIn(kind, "bob");

        long setUp = callAndMeasureSetUp(alice, bob);
        report(kind + ", set-up, direct (policy all, TURN offered)", setUp);

        alice.send("direct?");
        bob.awaitMessage("direct?", false);
        for (ChatTab tab : List.of(alice, bob)) {
            Map<String, Map<String, Object>> pair = tab.selectedPair();
            assertEquals("host", pair.get("local").get("candidateType"), tab.name() + ": " + pair);
            // Firefox often knows the peer's end first from its connectivity checks (peer-reflexive):
            // still the direct path, not the relay.
            assertTrue(List.of("host", "prflx").contains(pair.get("remote").get("candidateType")), tab.name() + ": " + pair);
        }
    }

    @ParameterizedTest(name = "in {0}")
    @EnumSource(Kind.class)
    void aTurnServerThatRefusesTheCredentialsIsExplainedToBothUsers(Kind kind) {
        coturn = Coturn.start();
        browser.settings(turnSettings(coturn.url("udp"), "not-" + coturn.secret(), "relay"));
        ChatTab alice = browser.signedIn(kind, "alice");
        ChatTab bob = browser.signedIn(kind, "bob");

        long explained = callThatCannotConnect(alice, bob, "the relay server (TURN) refused this site's credentials");
        report(kind + ", refused credentials explained after", explained);
        assertEquals(List.of("Could not connect to bob: the relay server (TURN) refused this site's credentials. "
                + "Please tell the site's operator that the TURN secret does not match."), alice.systemMessages());
        assertTrue(browser.consoleLog().stream().anyMatch(line -> line.contains("answered 401")),
                kind + " reported TURN's 401 (icecandidateerror)");
    }

    /** Over UDP a dead TURN server is silence: Chromium would keep gathering for about 40 s. */
    @ParameterizedTest(name = "in {0}")
    @EnumSource(Kind.class)
    void aTurnServerThatDoesNotAnswerIsExplainedToBothUsers(Kind kind) {
        coturn = Coturn.start();
        browser.settings(turnSettings(coturn.url("udp"), coturn.secret(), "relay"));
        coturn.kill();
        ChatTab alice = browser.signedIn(kind, "alice");
        ChatTab bob = browser.signedIn(kind, "bob");

        long explained = callThatCannotConnect(alice, bob, "the relay server (TURN) did not answer");
        report(kind + ", unreachable TURN explained after", explained);
    }

    /**
     * Relay candidates on both sides, but coturn refuses every permission (403), so ICE fails at
     * once. Both ends find out within milliseconds of each other; the one whose "leave" arrives
     * first is the only one sure to give the reason (a leave carries none), the other may just say
     * that the peer left. Nobody is left waiting.
     */
    @ParameterizedTest(name = "in {0}")
    @EnumSource(Kind.class)
    void aRelayThatCannotReachThePeerIsExplainedAndNobodyWaits(Kind kind) {
        coturn = Coturn.startRefusingLoopbackPeers();
        browser.settings(turnSettings(coturn.url("udp"), coturn.secret(), "relay"));
        ChatTab alice = browser.signedIn(kind, "alice");
        ChatTab bob = browser.signedIn(kind, "bob");

        alice.call("bob");
        bob.awaitIncomingCallFrom("alice");
        bob.accept();
        for (ChatTab tab : List.of(alice, bob)) {
            tab.await(tab.name() + "'s call ended", NO_HANG, d -> "ended".equals(tab.callState()));
        }
        String noRoute = "not even through the relay server (TURN)";
        assertTrue(alice.systemMessages().stream().anyMatch(message -> message.contains(noRoute))
                || bob.systemMessages().stream().anyMatch(message -> message.contains(noRoute)),
                "alice: " + alice.systemMessages() + ", bob: " + bob.systemMessages());
        for (ChatTab tab : List.of(alice, bob)) {
            String peer = tab == alice ? "bob" : "alice";
            assertTrue(tab.systemMessages().stream().allMatch(message -> message.contains(noRoute)
                    || message.startsWith(peer + " left the call.")), tab.name() + ": " + tab.systemMessages());
        }
    }

    /** No TURN at all, and no other way allowed (policy relay): the operator is asked to set TURN up. */
    @ParameterizedTest(name = "in {0}")
    @EnumSource(Kind.class)
    void peersWithoutARouteAreToldThatTurnWouldHelp(Kind kind) {
        browser.settings(Map.of("textchat.iceServers", "[]", "textchat.iceTransportPolicy", "relay"));
        ChatTab alice = browser.signedIn(kind, "alice");
        ChatTab bob = browser.signedIn(kind, "bob");

        callThatCannotConnect(alice, bob, "setting up a relay server (TURN)");
        assertEquals(List.of("Could not connect to alice: your networks cannot reach each other directly. "
                + "The site's operator can fix this by setting up a relay server (TURN)."), bob.systemMessages());
    }

    @ParameterizedTest(name = "in {0}")
    @EnumSource(Kind.class)
    void aCallSurvivesTheTurnServerDyingAndComingBack(Kind kind) {
        List<ChatTab> both = relayOnlyCallThatChatted(kind, "before the relay died");
        ChatTab alice = both.get(0);
        ChatTab bob = both.get(1);

        coturn.kill();
        long killed = System.currentTimeMillis();
        alice.awaitCallState("interrupted");
        bob.awaitCallState("interrupted");
        report(kind + ", interruption noticed after the kill", System.currentTimeMillis() - killed);
        assertEquals("Connection to bob interrupted. Reconnecting…", alice.callText());
        alice.send("sent while the relay was down");
        // Past the caller's first ICE restarts, made while there is no relay: recovery must not stop there.
        // (or past the point where Firefox gave a connection up: then new connections follow).
        alice.await("alice's second ICE restart", d -> browser.consoleLog().stream()
                .anyMatch(line -> line.contains("restarting ICE with bob (attempt 2)") || line.contains("died with its path")));

        // Measured from launching turnserver: the browsers' retransmitted requests may reach it
        // before its readiness check here has finished.
        double restarted = System.currentTimeMillis();
        coturn.restart();
        report(kind + ", turnserver answering after its launch", Math.round(System.currentTimeMillis() - restarted));
        // Usually back within a second (the restart in progress finds the relay); else by the caller's
        // next restart, at most 8 s later, plus Firefox's up to ~10 s to give up on a stale attempt.
        Duration recovery = Duration.ofSeconds(30);
        alice.await("call state connected after the TURN restart", recovery, d -> "connected".equals(d.callState()));
        bob.await("call state connected after the TURN restart", recovery, d -> "connected".equals(d.callState()));
        double back = Math.max(alice.connectionEventAt("ice", "connected", restarted),
                bob.connectionEventAt("ice", "connected", restarted));
        report(kind + ", recovery after the TURN restart (launch to ICE connected on both)", Math.round(back - restarted));
        alice.awaitNoticeContaining("Reconnected to bob.");
        List<String> iceUfrags = offeredIceUfrags();
        assertTrue(iceUfrags.size() >= 2 && !iceUfrags.get(0).equals(iceUfrags.get(iceUfrags.size() - 1)),
                "alice restarted ICE through a new offer (ICE ufrags offered: " + iceUfrags + ")");

        bob.awaitMessage("sent while the relay was down", false);
        report(kind + ", message sent during the outage arrived after the TURN restart",
                Math.round(System.currentTimeMillis() - restarted));
        alice.awaitDelivered("sent while the relay was down");
        long sent = System.currentTimeMillis();
        alice.send("after the relay came back");
        bob.awaitMessage("after the relay came back", false);
        report(kind + ", first message across after recovery", System.currentTimeMillis() - sent);
        alice.awaitDelivered("after the relay came back");
        bob.send("still here");
        alice.awaitMessage("still here", false);
        bob.awaitDelivered("still here");
        for (ChatTab tab : List.of(alice, bob)) {
            Map<String, Map<String, Object>> pair = tab.selectedPair();
            assertEquals("relay", pair.get("local").get("candidateType"), tab.name() + ": " + pair);
            assertEquals("relay", pair.get("remote").get("candidateType"), tab.name() + ": " + pair);
        }
    }

    /**
     * A TURN server that stays away longer than a restart or two: Firefox then gives the whole
     * connection up (ICE fails, and its DTLS transport and chat channel close with it); the call
     * goes on over a new connection once TURN is back, in both browsers, and the message written
     * during the outage (shown as queued meanwhile) arrives exactly once, in order.
     */
    @ParameterizedTest(name = "in {0}")
    @EnumSource(Kind.class)
    void aCallSurvivesALongTurnOutage(Kind kind) throws InterruptedException {
        List<ChatTab> both = relayOnlyCallThatChatted(kind, "before the outage");
        ChatTab alice = both.get(0);
        ChatTab bob = both.get(1);

        coturn.kill();
        alice.awaitCallState("interrupted");
        alice.send("written during the outage");
        alice.send("and another");
        assertEquals("queued", alice.ownMessageStatus("written during the outage"), "shown as waiting");
        assertEquals("queued", alice.ownMessageStatus("and another"));
        Thread.sleep(15_000); // several restarts find no relay; Firefox fails ICE and closes the channel
        double restarted = System.currentTimeMillis();
        coturn.restart();
        Duration recovery = Duration.ofSeconds(30);
        alice.await("call state connected after a long outage", recovery, d -> "connected".equals(d.callState()));
        bob.await("call state connected after a long outage", recovery, d -> "connected".equals(d.callState()));
        report(kind + ", recovery after a 15 s outage (launch to both connected)",
                Math.round(System.currentTimeMillis() - restarted));
        System.out.printf("TURN timing: %s, new connections made during the outage: %d (none: ICE restarts were enough)%n",
                kind, browser.consoleLog().stream().filter(line -> line.contains("making a new connection to bob")).count());
        alice.awaitNoticeContaining("Reconnected to bob.");

        bob.awaitMessage("written during the outage", false);
        alice.awaitDelivered("written during the outage");
        alice.send("after the outage");
        bob.awaitMessage("after the outage", false);
        bob.send("still here");
        alice.awaitMessage("still here", false);
        bob.awaitDelivered("still here");
        bob.awaitMessage("and another", false);
        alice.awaitDelivered("and another");
        assertEquals(1L, timesShown(bob, "written during the outage"), "shown once, however often it was sent");
        assertEquals(1L, timesShown(bob, "and another"));
        assertEquals(List.of("before the outage", "written during the outage", "and another", "still here"),
                bob.script("return [...document.querySelectorAll('[data-testid=message-text]')].map((n) => n.textContent)"
                        + ".filter((t) => t !== 'after the outage');"), "in the order written");
        assertEquals(1L, timesShown(bob, "before the outage"));
        assertEquals("connected", bob.callState());
    }

    /**
     * TURN credentials expire ({@code textchat.turnTtlSeconds}, 20 s here); coturn refuses them
     * afterwards. A call that outlives them and then loses its relay (coturn restarted) comes back
     * because both ends fetch fresh ICE servers before gathering anew.
     */
    @ParameterizedTest(name = "in {0}")
    @EnumSource(Kind.class)
    void aCallOutlivesItsTurnCredentials(Kind kind) throws InterruptedException {
        coturn = Coturn.start();
        Map<String, String> settings = turnSettings(coturn.url("udp"), coturn.secret(), "relay");
        settings.put("textchat.turnTtlSeconds", "20");
        browser.settings(settings);
        ChatTab alice = browser.signedIn(kind, "alice");
        ChatTab bob = browser.signedIn(kind, "bob");
        long expiresBy = System.currentTimeMillis() / 1000 + 21;
        callAndMeasureSetUp(alice, bob);
        alice.send("with the first credentials");
        bob.awaitMessage("with the first credentials", false);
        for (ChatTab tab : List.of(alice, bob)) {
            assertTrue(credentialExpiry(tab) <= expiresBy, tab.name() + " started with the login's credentials");
        }

        long wait = expiresBy * 1000 + 1_000 - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait); // the credentials every connection holds have now expired
        }
        long killed = System.currentTimeMillis() / 1000;
        coturn.kill();
        alice.awaitCallState("interrupted");
        coturn.restart();
        Duration recovery = Duration.ofSeconds(30);
        alice.await("call state connected with fresh credentials", recovery, d -> "connected".equals(d.callState()));
        bob.await("call state connected with fresh credentials", recovery, d -> "connected".equals(d.callState()));
        for (ChatTab tab : List.of(alice, bob)) {
            assertTrue(credentialExpiry(tab) > killed, tab.name() + " gathered with credentials minted after the old expired");
        }
        long asked = browser.server().recorder().frames().stream()
                .filter(frame -> frame.direction() == WireRecorder.Direction.TO_SERVER && frame.text() != null)
                .filter(frame -> frame.text().contains("\"ice-servers\"")).count();
        assertTrue(asked >= 2, "both asked for fresh ICE servers: " + asked + " requests");
        alice.send("with fresh credentials");
        bob.awaitMessage("with fresh credentials", false);
        bob.send("heard you");
        alice.awaitMessage("heard you", false);
        for (ChatTab tab : List.of(alice, bob)) {
            assertEquals("relay", tab.selectedPair().get("local").get("candidateType"), tab.name());
        }
    }

    /** A relay-only call through a fresh coturn in which alice's {@code first} message was delivered: [alice, bob]. */
    private List<ChatTab> relayOnlyCallThatChatted(Kind kind, String first) {
        coturn = Coturn.start();
        browser.settings(turnSettings(coturn.url("udp"), coturn.secret(), "relay"));
        ChatTab alice = browser.signedIn(kind, "alice");
        ChatTab bob = browser.signedIn(kind, "bob");
        callAndMeasureSetUp(alice, bob);
        alice.send(first);
        bob.awaitMessage(first, false);
        alice.awaitDelivered(first);
        return List.of(alice, bob);
    }

    /** The expiry (unix seconds) of the TURN credentials the tab's newest connection is configured with. */
    private static long credentialExpiry(ChatTab tab) {
        Object username = tab.script("""
                const pcs = window.__textchatTest.peerConnections;
                const servers = pcs[pcs.length - 1].getConfiguration().iceServers;
                const turn = servers.find((s) => s.username);
                return turn ? turn.username : null;
                """);
        assertNotNull(username, tab.name() + " has no TURN credentials");
        String text = username.toString();
        return Long.parseLong(text.substring(0, text.indexOf(':')));
    }

    private static long timesShown(ChatTab tab, String text) {
        Object count = tab.script("""
                return [...document.querySelectorAll('[data-testid=message-text]')]
                    .filter((node) => node.textContent === arguments[0]).length;
                """, text);
        return ((Number) count).longValue();
    }

    /** The a=ice-ufrag of every offer sent to the server, in order. */
    private List<String> offeredIceUfrags() {
        return browser.server().recorder().frames().stream()
                .filter(frame -> frame.direction() == WireRecorder.Direction.TO_SERVER && frame.text() != null)
                .map(frame -> Json.createReader(new StringReader(frame.text())).readObject())
                .filter(message -> "offer".equals(message.getString("type", "")))
                .map(message -> ICE_UFRAG.matcher(message.getJsonObject("offer").getString("sdp")))
                .filter(Matcher::find)
                .map(matcher -> matcher.group(1))
                .toList();
    }

    /**
     * The caller calls, the callee accepts, and both are told {@code explanation} and the call ends
     * (no hang); returns the milliseconds from accepting until both were told.
     */
    private static long callThatCannotConnect(ChatTab caller, ChatTab callee, String explanation) {
        caller.call(callee.name());
        callee.awaitIncomingCallFrom(caller.name());
        long accepted = System.currentTimeMillis();
        callee.accept();
        for (ChatTab tab : List.of(caller, callee)) {
            tab.await(tab.name() + " told \"" + explanation + "\"", NO_HANG,
                    d -> tab.systemMessages().stream().anyMatch(message -> message.contains(explanation)));
        }
        long explained = System.currentTimeMillis() - accepted;
        caller.awaitCallState("ended");
        callee.awaitCallState("ended");
        return explained;
    }

    /** Milliseconds from the callee's accepting (its peer connection made) to both connected. */
    private static long callAndMeasureSetUp(ChatTab caller, ChatTab callee) {
        caller.callAndConnect(callee);
        double accepted = callee.connectionEventAt("created", "new", 0);
        double connected = Math.max(caller.connectionEventAt("connection", "connected", 0),
                callee.connectionEventAt("connection", "connected", 0));
        return Math.round(connected - accepted);
    }

    /** The server's TURN settings: only the minted TURN entry in iceServers. */
    static Map<String, String> turnSettings(String url, String secret, String policy) {
        Map<String, String> settings = new HashMap<>();
        settings.put("textchat.iceServers", "[]");
        settings.put("textchat.turnUrls", url);
        settings.put("textchat.turnSecret", secret);
        settings.put("textchat.iceTransportPolicy", policy);
        return settings;
    }

    private static void report(String what, long millis) {
        System.out.printf("TURN timing: %s: %d ms%n", what, millis);
    }
}
