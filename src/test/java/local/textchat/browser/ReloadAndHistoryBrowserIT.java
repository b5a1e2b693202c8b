package local.textchat.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.List;

import jakarta.json.Json;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import local.textchat.browser.Browser.Kind;

/**
 * What outlasts a reload: the name (the resume token is kept for the tab), the calls (made
 * again by the reloaded page, the peer told no leave), and what was said (IndexedDB, per peer,
 * with its marks), until the person deletes it.
 */
class ReloadAndHistoryBrowserIT {

    @RegisterExtension
    final BrowserHarness browser = new BrowserHarness();

    private static Kind other(Kind kind) {
        return kind == Kind.CHROMIUM ? Kind.FIREFOX : Kind.CHROMIUM;
    }

    @ParameterizedTest(name = "reloading {0}")
    @EnumSource(Kind.class)
    void aReloadKeepsTheNameAndTheCallAndThePeerIsToldNoLeave(Kind kind) {
        ChatTab alice = browser.openTab(other(kind));
        alice.signInAndWait("alice");
        ChatTab bob = browser.signedIn(kind, "bob");
        alice.callAndConnect(bob);
        alice.send("before the reload");
        bob.awaitMessage("before the reload", false);

        bob.reloadSignedIn();
        assertEquals("online", bob.connectionState(), "signed in again without the form: " + bob.connectionText());
        assertTrue(bob.connectionText().contains("bob"), bob.connectionText());
        bob.awaitCallState("connected");
        alice.awaitCallState("connected");
        bob.await("the composer open", ChatTab::sendEnabled);
        bob.send("after the reload");
        alice.awaitMessage("after the reload", false);
        alice.send("welcome back");
        bob.awaitMessage("welcome back", false);
        bob.awaitMessage("before the reload", false); // from the history

        assertTrue(alice.systemMessages().stream().noneMatch(m -> m.contains("left")), alice.systemMessages()::toString);
        List<String> toAlice = browser.server().recorder().frames().stream()
                .filter(frame -> frame.direction() == WireRecorder.Direction.FROM_SERVER && frame.text() != null)
                .map(frame -> Json.createReader(new StringReader(frame.text())).readObject())
                .filter(message -> "leave".equals(message.getString("type", "")) || "offline".equals(message.getString("type", "")))
                .map(Object::toString).toList();
        assertEquals(List.of(), toAlice, "nobody was told leave or offline");
    }

    @ParameterizedTest(name = "in {0}")
    @EnumSource(Kind.class)
    void threeMessagesComeBackWithTheirMarksAfterBothReloadAndAreGoneOnceDeleted(Kind kind) {
        ChatTab alice = browser.signedIn(kind, "alice");
        ChatTab bob = browser.openTab(other(kind));
        bob.signInAndWait("bob");
        alice.callAndConnect(bob);
        alice.send("one");
        bob.awaitMessage("one", false);
        bob.send("two");
        alice.awaitMessage("two", false);
        alice.send("three");
        bob.awaitMessage("three", false);
        alice.await("\"one\" read", d -> "read".equals(d.ownMessageStatus("one")));
        alice.awaitDelivered("three");
        String threeMark = alice.ownMessageStatus("three");
        alice.hangUp();
        bob.awaitCallState("ended");

        // Both pages reloaded (signed in again by themselves; no call was up): the list remembers bob.
        alice.reloadSignedIn();
        bob.reloadSignedIn();
        alice.await("bob in the conversation list", d -> d.conversations().containsKey("bob"));
        alice.callAndConnect(bob);
        alice.awaitMessage("one", true);
        alice.awaitMessage("two", false);
        alice.awaitMessage("three", true);
        assertEquals("read", alice.ownMessageStatus("one"));
        assertEquals(threeMark, alice.ownMessageStatus("three"));
        bob.awaitMessage("one", false);
        bob.awaitMessage("two", true);
        assertEquals(List.of("one", "two", "three"), alice.messageTexts(), "in the order they were said");

        alice.deleteHistory();
        assertEquals(List.of(), alice.messageTexts());
        alice.hangUp();
        alice.reloadSignedIn();
        assertFalse(alice.conversations().containsKey("bob"), "the deleted conversation is not listed");
        bob.callAndConnect(alice);
        assertEquals(List.of(), alice.messageTexts(), "nothing came back");
        bob.awaitMessage("three", false); // bob's history is bob's
    }
}
