package local.textchat.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import local.textchat.browser.Browser.Kind;

/**
 * Placing, answering, refusing and ending calls, and chatting in between: in Chromium and in
 * Firefox, and between the two with either as the caller.
 */
class CallBrowserIT {

    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "::1");

    @RegisterExtension
    final BrowserHarness browser = new BrowserHarness();

    /** Every pairing of the browsers: each talks to itself, and each calls the other first once. */
    static Stream<Arguments> browserPairs() {
        return Stream.of(Kind.values()).flatMap(alice -> Stream.of(Kind.values()).map(bob -> Arguments.of(alice, bob)));
    }

    @ParameterizedTest(name = "Alice in {0}, Bob in {1}")
    @MethodSource("browserPairs")
    void callAcceptChatBothWaysHangUpAndCallAgain(Kind aliceBrowser, Kind bobBrowser) {
        ChatTab alice = browser.signedIn(aliceBrowser, "Alice");
        ChatTab bob = browser.signedIn(bobBrowser, "Bob");

        alice.call("Bob");
        alice.awaitCallState("calling");
        assertFalse(alice.sendEnabled(), "Send stays disabled until the channel is open");
        bob.awaitIncomingCallFrom("Alice");
        assertEquals("Alice wants to chat with you.", bob.incomingText());
        bob.acceptWithEnter();
        alice.awaitCallState("connected");
        bob.awaitCallState("connected");
        assertEquals("In a call with Bob", alice.callText());

        alice.send("Hi Bob! Are we still on for lunch at noon?");
        bob.awaitMessage("Hi Bob! Are we still on for lunch at noon?", false);
        bob.await("the message announced to screen readers", d -> "Alice says: Hi Bob! Are we still on for lunch at noon?"
                .equals(bob.element("announcer").getDomProperty("textContent")));
        alice.awaitDelivered("Hi Bob! Are we still on for lunch at noon?");
        bob.send("Yes! Same place as last time. I'll grab a table by the window.");
        alice.awaitMessage("Yes! Same place as last time. I'll grab a table by the window.", false);
        bob.awaitDelivered("Yes! Same place as last time. I'll grab a table by the window.");
        alice.send("Perfect, see you there!");
        bob.awaitMessage("Perfect, see you there!", false);
        alice.awaitDelivered("Perfect, see you there!");
        for (ChatTab tab : List.of(alice, bob)) {
            assertLoopbackHostPair(tab);
        }
        if (aliceBrowser == bobBrowser) {
            Screenshots.save(alice.screenshot(), aliceBrowser, "call");
        }

        alice.hangUp();
        alice.awaitCallState("ended");
        bob.awaitCallState("ended");
        bob.awaitSystemMessageContaining("Alice left the call.");
        assertFalse(bob.sendEnabled());

        bob.call("Alice"); // the other way round, without reloading
        alice.awaitIncomingCallFrom("Bob");
        alice.accept();
        bob.awaitCallState("connected");
        alice.awaitCallState("connected");
        bob.send("Forgot to ask: shall I bring the slides?");
        alice.awaitMessage("Forgot to ask: shall I bring the slides?", false);
        bob.awaitDelivered("Forgot to ask: shall I bring the slides?");
    }

    /** The server takes ß, SS and ss as one name; so must the page, or the answer is dropped. */
    @Test
    void callingANameTypedInAnotherCaseConnects() {
        ChatTab alice = browser.openTab();
        alice.signInAndWait("alice");
        ChatTab bob = browser.openTab();
        bob.signInAndWait("Straße");
        alice.awaitUser("Straße");

        alice.callByName("STRASSE");
        bob.awaitIncomingCallFrom("alice");
        bob.accept();
        alice.awaitCallState("connected");
        bob.awaitCallState("connected");
        alice.send("Grüß dich");
        bob.awaitMessage("Grüß dich", false);
    }

    @ParameterizedTest(name = "in {0}")
    @EnumSource(Kind.class)
    void aDeclinedCallIsShownToTheCaller(Kind kind) {
        ChatTab alice = browser.signedIn(kind, "alice");
        ChatTab bob = browser.signedIn(kind, "bob");

        alice.call("bob");
        bob.awaitIncomingCallFrom("alice");
        bob.decline();
        alice.awaitSystemMessageContaining("bob declined the call.");
        assertEquals("ended", alice.callState());
        assertFalse(bob.incomingShown());

        JsonObject decline = browser.server().recorder().frames().stream()
                .filter(frame -> frame.direction() == WireRecorder.Direction.TO_SERVER && frame.text() != null)
                .map(frame -> Json.createReader(new StringReader(frame.text())).readObject())
                .filter(message -> "decline".equals(message.getString("type", "")))
                .findFirst().orElseThrow();
        assertEquals("alice", decline.getString("name"));
        assertEquals("declined", decline.getString("reason"));

        alice.call("bob"); // declining does not stop the next call
        bob.awaitIncomingCallFrom("alice");
    }

    @ParameterizedTest(name = "in {0}")
    @EnumSource(Kind.class)
    void someoneWhoseCallIsRingingIsBusyForOthers(Kind kind) {
        ChatTab alice = browser.signedIn(kind, "alice");
        ChatTab bob = browser.signedIn(kind, "bob");
        ChatTab carol = browser.signedIn(kind, "carol");
        alice.call("bob");
        bob.awaitIncomingCallFrom("alice");

        // One question at a time: while bob is asked about alice's call, carol hears busy.
        carol.call("bob");
        carol.awaitSystemMessageContaining("bob is busy in another call.");
        assertEquals("ended", carol.callState());
        bob.awaitNoticeContaining("carol called while you were in a call.");
        assertEquals("alice", bob.element("incoming-call").getAttribute("data-caller"), "the prompt is still alice's");

        bob.accept();
        alice.awaitCallState("connected");
        bob.awaitCallState("connected");
        bob.send("Sorry, someone else just called.");
        alice.awaitMessage("Sorry, someone else just called.", false);
    }

    @ParameterizedTest(name = "in {0}")
    @EnumSource(Kind.class)
    void aPeerWhoseTabClosesEndsTheCallVisibly(Kind kind) {
        ChatTab alice = browser.signedIn(kind, "alice");
        ChatTab bob = browser.signedIn(kind, "bob");
        alice.callAndConnect(bob);

        // The server holds bob's name and call for the resume grace period (10 s): his page might
        // only be reloading. Meanwhile alice sees the call interrupted; then bob left.
        bob.close();
        alice.awaitCallState("interrupted");
        alice.await("bob left the call", Duration.ofSeconds(25),
                d -> d.systemMessages().stream().anyMatch(m -> m.contains("bob left the call.")));
        assertEquals("ended", alice.callState());
        assertFalse(alice.sendEnabled());
        alice.awaitNoUser("bob");
    }

    /**
     * The pair ICE selected joins two loopback addresses, ours a host candidate, and the page's
     * connection details say so. Firefox may pick ::1 where it has it; the remote end is often
     * peer-reflexive (learnt from the checks), whose address a browser may hide until the
     * signaled candidate arrives: that is waited for.
     */
    private static void assertLoopbackHostPair(ChatTab tab) {
        Map<String, Map<String, Object>> pair = tab.await(tab.name() + "'s selected pair with both addresses", d -> {
            Map<String, Map<String, Object>> selected = tab.selectedPair();
            boolean known = selected != null && selected.get("local") != null && selected.get("remote") != null
                    && selected.get("remote").get("address") != null
                    && !String.valueOf(selected.get("remote").get("address")).isEmpty();
            return known ? selected : null;
        });
        Map<String, Object> local = pair.get("local");
        Map<String, Object> remote = pair.get("remote");
        String where = tab.name() + " in " + tab.browser() + ": " + pair;
        assertEquals("host", local.get("candidateType"), where);
        assertTrue(LOOPBACK.contains(String.valueOf(local.get("address"))), where);
        assertTrue(Set.of("host", "prflx").contains(String.valueOf(remote.get("candidateType"))), where);
        assertTrue(LOOPBACK.contains(String.valueOf(remote.get("address"))), where);
        tab.await(tab.name() + "'s call details showing loopback at both ends", d ->
                LOOPBACK.contains(tab.element("call-route").getAttribute("data-local"))
                        && LOOPBACK.contains(tab.element("call-route").getAttribute("data-remote")));
    }
}
