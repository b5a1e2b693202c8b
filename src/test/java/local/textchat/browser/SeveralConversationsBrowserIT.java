package local.textchat.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import local.textchat.browser.Browser.Kind;

/**
 * Several conversations at once: alice talks with bob and carol, each in a call of its own, and
 * picks whom she writes to in the conversation list; what comes from the one not on screen is
 * counted there as unread; a call ringing while she writes does not take her keyboard; bob
 * hanging up ends only his call.
 */
class SeveralConversationsBrowserIT {

    @RegisterExtension
    final BrowserHarness browser = new BrowserHarness();

    @ParameterizedTest(name = "in {0}")
    @EnumSource(Kind.class)
    void aliceChatsWithBobAndCarolAtOnceAndBobHangingUpEndsOnlyHisCall(Kind kind) {
        ChatTab alice = browser.signedIn(kind, "alice");
        // The others in the other browser: every pairing crosses Chromium and Firefox once.
        Kind other = kind == Kind.CHROMIUM ? Kind.FIREFOX : Kind.CHROMIUM;
        ChatTab bob = browser.signedIn(other, "bob");
        ChatTab carol = browser.signedIn(kind, "carol");
        aliceTalksWithBobAndCarolAtOnce(alice, bob, carol, true);
    }

    /**
     * The whole story, on whatever server or servers the three tabs are signed in to;
     * {@code picture}: alice's page with both conversations is the README's screenshot.
     */
    static void aliceTalksWithBobAndCarolAtOnce(ChatTab alice, ChatTab bob, ChatTab carol, boolean picture) {
        alice.callAndConnect(bob);
        alice.await("the composer open", ChatTab::sendEnabled);
        alice.send("hi bob");
        bob.awaitMessage("hi bob", false);

        // carol calls while alice is writing to bob: the prompt comes, the keyboard stays with bob's chat.
        alice.typeWithoutSending("half a sentence");
        carol.call("alice");
        alice.awaitIncomingCallFrom("carol");
        assertEquals("message-input", alice.focused(), "the ring does not take the keyboard from the chat");
        assertEquals("bob", alice.openConversation());
        alice.accept();
        alice.await("carol's conversation on screen", d -> "carol".equals(d.openConversation()));
        alice.awaitCallState("connected");
        carol.awaitCallState("connected");
        carol.await("the composer open", ChatTab::sendEnabled);
        assertEquals("connected", alice.conversations().get("bob").get("state"), "bob's call goes on");

        // Messages from both: bob's wait as unread in his conversation, carol's are on screen.
        bob.send("bob one");
        bob.send("bob two");
        carol.send("carol here");
        alice.awaitMessage("carol here", false);
        assertEquals("2", alice.await("bob's two messages counted unread", d -> {
            String badge = d.unreadBadge("bob");
            return "2".equals(badge) ? badge : null;
        }));
        assertEquals("", alice.unreadBadge("carol"));
        assertFalse(alice.hasMessage("bob one", false), "bob's messages are not in carol's conversation");
        alice.send("hello carol");
        carol.awaitMessage("hello carol", false);
        alice.awaitDelivered("hello carol");
        if (picture) {
            alice.resize(1200, 900); // room for the whole page: nothing scrolled out of the picture
            alice.script("window.scrollTo(0, 0)");
            Screenshots.saveForReadme(alice.screenshot(), alice.browser(), "conversations");
        }
        assertFalse(bob.hasMessage("hello carol", false), "each conversation its own channel");

        // Opening bob's conversation: his messages, nothing unread, the half-written text still there.
        alice.openConversation("bob");
        alice.awaitMessage("bob one", false);
        alice.awaitMessage("bob two", false);
        assertTrue(alice.hasMessage("hi bob", true));
        assertEquals("", alice.unreadBadge("bob"));
        assertEquals("half a sentence", alice.composerText());
        alice.clearComposer();
        alice.send("back to you, bob");
        bob.awaitMessage("back to you, bob", false);
        assertFalse(carol.hasMessage("back to you, bob", false));

        // bob hangs up: his conversation ends, carol's goes on.
        bob.hangUp();
        alice.await("bob's call ended", d -> "ended".equals(d.conversations().get("bob").get("state")));
        alice.awaitSystemMessageContaining("bob left the call.");
        assertEquals("connected", alice.conversations().get("carol").get("state"));
        alice.openConversation("carol");
        alice.awaitCallState("connected");
        alice.send("still here, carol?");
        carol.awaitMessage("still here, carol?", false);
        carol.send("yes!");
        alice.awaitMessage("yes!", false);
        alice.awaitDelivered("still here, carol?");
        carol.awaitCallState("connected");
    }
}
