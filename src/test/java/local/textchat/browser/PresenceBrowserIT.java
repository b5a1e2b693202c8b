package local.textchat.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Who is online: the login reply's list for newcomers, online/offline events for everyone else. */
class PresenceBrowserIT {

    @RegisterExtension
    final BrowserHarness browser = new BrowserHarness();

    @Test
    void signedInPeopleSeeEachOtherArriveAndLeave() {
        ChatTab alice = browser.openTab();
        alice.signInAndWait("alice");
        assertEquals("Online as alice", alice.connectionText());
        assertEquals(List.of(), alice.onlineUsers());

        ChatTab bob = browser.openTab();
        bob.signInAndWait("bob");
        bob.awaitUser("alice");   // from bob's login reply
        alice.awaitUser("bob");   // from the "online" event
        assertEquals(List.of("alice"), bob.onlineUsers());

        bob.close();
        alice.awaitNoUser("bob"); // from the "offline" event
    }

    @Test
    void aTakenNameIsRefusedInWordsAndAnotherOneWorks() {
        ChatTab alice = browser.openTab();
        alice.signInAndWait("alice");

        ChatTab impostor = browser.openTab();
        impostor.signIn("Alice"); // names are unique regardless of case
        assertEquals("That name is already taken. Please choose another one.", impostor.signInError());
        assertTrue(impostor.signInShown());

        impostor.signInAndWait("carol");
        impostor.awaitUser("alice");
        alice.awaitUser("carol");
    }
}
