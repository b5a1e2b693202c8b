package local.textchat.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import local.textchat.browser.Browser.Kind;

/**
 * Who is online: the login reply's list for newcomers, online/offline events for everyone else;
 * in Chromium and in Firefox.
 */
class PresenceBrowserIT {

    @RegisterExtension
    final BrowserHarness browser = new BrowserHarness();

    @ParameterizedTest(name = "in {0}")
    @EnumSource(Kind.class)
    void signedInPeopleSeeEachOtherArriveAndLeave(Kind kind) {
        ChatTab alice = browser.signedIn(kind, "alice");
        assertEquals("Online as alice", alice.connectionText());
        assertEquals(List.of(), alice.onlineUsers());

        ChatTab bob = browser.signedIn(kind, "bob");
        bob.awaitUser("alice");   // from bob's login reply
        alice.awaitUser("bob");   // from the "online" event
        assertEquals(List.of("alice"), bob.onlineUsers());

        bob.close();
        alice.awaitNoUser("bob"); // from the "offline" event
    }

    /** Alphabetical whichever way a name arrives: in the login reply's list or by an "online" event. */
    @Test
    void theOnlineListIsInAlphabeticalOrder() {
        ChatTab zoe = browser.openTab();
        zoe.signInAndWait("zoe");
        ChatTab adam = browser.openTab();
        adam.signInAndWait("Adam");
        ChatTab mia = browser.openTab();
        mia.signInAndWait("mia");
        mia.awaitUser("zoe");
        assertEquals(List.of("Adam", "zoe"), mia.onlineUsers());
        adam.awaitUser("mia");
        assertEquals(List.of("mia", "zoe"), adam.onlineUsers());
        zoe.awaitUser("mia");
        assertEquals(List.of("Adam", "mia"), zoe.onlineUsers());
    }

    @ParameterizedTest(name = "in {0}")
    @EnumSource(Kind.class)
    void aTakenNameIsRefusedInWordsAndAnotherOneWorks(Kind kind) {
        ChatTab alice = browser.signedIn(kind, "alice");

        ChatTab impostor = browser.openTab(kind);
        impostor.signIn("Alice"); // names are unique regardless of case
        assertEquals("That name is already taken. Please choose another one. (If it was yours in a tab you just closed, it is free again within a few seconds.)", impostor.signInError());
        assertTrue(impostor.signInShown());

        impostor.signInAndWait("carol");
        impostor.awaitUser("alice");
        alice.awaitUser("carol");
    }

    @ParameterizedTest(name = "in {0}")
    @EnumSource(Kind.class)
    void aLargeDeploymentListsAFirstPageAndFindsOthersBySearching(Kind kind) {
        // A "large" deployment in miniature: past 1 other online, a login lists 1 name.
        browser.settings(java.util.Map.of("textchat.directoryFullList", "1", "textchat.directoryPage", "1"));
        ChatTab ann = browser.signedIn(kind, "ann");
        ChatTab bob = browser.signedIn(kind, "bob");
        ChatTab carol = browser.signedIn(kind, "carol");
        assertEquals(List.of("ann"), carol.onlineUsers(), "the first page, in name order");
        assertEquals("Showing 1 of 2 people online. Search to find others.", carol.directorySummary());
        assertEquals(null, ann.directorySummary(), "a short list shows everyone, with no search");

        carol.search("B");
        carol.awaitUser("bob");
        assertEquals(List.of("bob"), carol.onlineUsers());
        assertEquals("Showing 1 of 1 whose name starts with “B”.", carol.directorySummary());
        carol.call("bob");
        bob.awaitIncomingCallFrom("carol");

        carol.search("zed");
        carol.await("an empty search", d -> d.onlineUsers().isEmpty());
        assertEquals("Nobody online has a name starting with “zed”.", carol.directorySummary());
    }
}
