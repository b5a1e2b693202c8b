package local.textchat.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.glassfish.grizzly.Connection;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import local.textchat.browser.Browser.Kind;

/**
 * The signaling socket can die; the client says so, comes back, and the chat never stops;
 * in Chromium and in Firefox.
 */
class SignalingLossBrowserIT {

    @RegisterExtension
    final BrowserHarness browser = new BrowserHarness();

    @ParameterizedTest(name = "in {0}")
    @EnumSource(Kind.class)
    void aDroppedSignalingSocketIsShownAndLoggedInAgainWhileTheChatGoesOn(Kind kind) {
        ChatTab alice = browser.signedIn(kind, "alice");
        ChatTab bob = browser.signedIn(kind, "bob");
        alice.callAndConnect(bob);
        alice.send("before the drop");
        bob.awaitMessage("before the drop", false);

        WireRecorder recorder = browser.server().recorder();
        List<Connection<?>> sockets = recorder.webSocketsWhoseFirstMessageContains("\"name\":\"alice\"");
        assertEquals(1, sockets.size(), "alice's signaling socket");
        // The server end goes away without a WebSocket close: the browser sees 1006.
        sockets.get(0).closeSilently();

        alice.awaitNoticeContaining("Lost the connection to the server");
        alice.awaitConnection("online");
        assertEquals("Online as alice", alice.connectionText());
        List<Connection<?>> again = recorder.webSocketsWhoseFirstMessageContains("\"name\":\"alice\"");
        assertEquals(1, again.size(), "alice's new signaling socket");
        assertTrue(recorder.texts().stream().anyMatch(text -> text.contains("\"type\":\"login\"")
                && text.contains("\"name\":\"alice\"") && text.contains("\"token\"")),
                "alice logs in again with her resume token");

        // The data channel never depended on the signaling socket.
        assertEquals("connected", alice.callState());
        assertEquals("connected", bob.callState());
        alice.send("after the drop");
        bob.awaitMessage("after the drop", false);
        alice.awaitDelivered("after the drop");
        bob.send("still here");
        alice.awaitMessage("still here", false);
        bob.awaitUser("alice");
        alice.awaitUser("bob");
    }
}
