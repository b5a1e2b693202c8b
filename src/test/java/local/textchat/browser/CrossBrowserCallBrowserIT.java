package local.textchat.browser;

import static local.textchat.browser.Browser.Kind.CHROMIUM;
import static local.textchat.browser.Browser.Kind.FIREFOX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import local.textchat.browser.Browser.Kind;

/**
 * People on different browsers chat with each other: Firefox with Firefox, and Chromium with
 * Firefox with either as the caller (Chromium with Chromium is CallBrowserIT's).
 */
class CrossBrowserCallBrowserIT {

    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "::1");

    @RegisterExtension
    final BrowserHarness browser = new BrowserHarness();

    static Stream<Arguments> callerAndCallee() {
        return Stream.of(arguments(FIREFOX, FIREFOX), arguments(CHROMIUM, FIREFOX), arguments(FIREFOX, CHROMIUM));
    }

    @ParameterizedTest(name = "{0} calls {1}")
    @MethodSource("callerAndCallee")
    void signInCallAcceptChatBothWaysOverLoopbackAndHangUp(Kind callerBrowser, Kind calleeBrowser) {
        ChatTab alice = browser.openTab(callerBrowser);
        alice.signInAndWait("Alice");
        assertEquals("Online as Alice", alice.connectionText());
        ChatTab bob = browser.openTab(calleeBrowser);
        bob.signInAndWait("Bob");

        alice.call("Bob");
        alice.awaitCallState("calling");
        assertFalse(alice.sendEnabled(), "Send stays disabled until the channel is open");
        bob.awaitIncomingCallFrom("Alice");
        assertEquals("Alice wants to chat with you.", bob.incomingText());
        bob.accept();
        alice.awaitCallState("connected");
        bob.awaitCallState("connected");
        assertEquals("In a call with Bob", alice.callText());
        assertEquals("In a call with Alice", bob.callText());

        String hello = "Hello from " + callerBrowser + " to " + calleeBrowser + "!";
        alice.send(hello);
        bob.awaitMessage(hello, false);
        alice.awaitDelivered(hello);
        String reply = "Loud and clear in " + calleeBrowser + ". 你好 👋";
        bob.send(reply);
        alice.awaitMessage(reply, false);
        bob.awaitDelivered(reply);

        for (ChatTab tab : List.of(alice, bob)) {
            assertLoopbackHostPair(tab);
        }

        alice.hangUp();
        alice.awaitCallState("ended");
        bob.awaitCallState("ended");
        bob.awaitSystemMessageContaining("Alice left the call.");
        assertFalse(alice.sendEnabled());
        assertFalse(bob.sendEnabled());
    }

    /**
     * The pair ICE selected joins two loopback addresses, ours a host candidate. Firefox may pick
     * ::1 where it has it; the remote end is often peer-reflexive (learnt from the checks), whose
     * address a browser may hide until the signaled candidate arrives: that is waited for.
     */
    private static void assertLoopbackHostPair(ChatTab tab) {
        Map<String, Map<String, Object>> pair = tab.await(tab.name() + "'s selected pair with both addresses", d -> {
            Map<String, Map<String, Object>> selected = tab.selectedPair();
            boolean known = selected != null && selected.get("local") != null && selected.get("remote") != null
                    && !String.valueOf(selected.get("remote").get("address")).isEmpty()
                    && selected.get("remote").get("address") != null;
            return known ? selected : null;
        });
        Map<String, Object> local = pair.get("local");
        Map<String, Object> remote = pair.get("remote");
        String where = tab.name() + " in " + tab.browser() + ": " + pair;
        assertEquals("host", local.get("candidateType"), where);
        assertTrue(LOOPBACK.contains(String.valueOf(local.get("address"))), where);
        assertTrue(Set.of("host", "prflx").contains(String.valueOf(remote.get("candidateType"))), where);
        assertTrue(LOOPBACK.contains(String.valueOf(remote.get("address"))), where);
        // The page's own connection details read the same statistics, whichever browser it is in.
        tab.await(tab.name() + "'s call details showing loopback at both ends", d ->
                LOOPBACK.contains(tab.element("call-route").getAttribute("data-local"))
                        && LOOPBACK.contains(tab.element("call-route").getAttribute("data-remote")));
    }
}
