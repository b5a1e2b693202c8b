package local.textchat.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import local.textchat.browser.Browser.Kind;

/**
 * "typing…" and read marks over the data channel: the indicator comes while the peer types and
 * goes when it stops (5 s after the last key) or sends; a message is marked read only once it was
 * on the reader's screen with the tab in front; with read receipts off none are sent (checked on
 * the data channel itself) and none are shown.
 */
class TypingAndReadBrowserIT {

    @RegisterExtension
    final BrowserHarness browser = new BrowserHarness();

    @ParameterizedTest(name = "in {0}")
    @EnumSource(Kind.class)
    void typingIsShownWhileThePeerTypesAndGoesWhenItStopsOrSends(Kind kind) throws InterruptedException {
        ChatTab alice = browser.signedIn(kind, "alice");
        ChatTab bob = browser.signedIn(kind, "bob");
        alice.callAndConnect(bob);
        bob.await("the composer open", ChatTab::sendEnabled);
        alice.await("the composer open", ChatTab::sendEnabled);

        alice.typeWithoutSending("hel");
        assertEquals("alice is typing…", bob.await("typing shown", Duration.ofSeconds(3), ChatTab::typingShown));
        long lastKey = System.currentTimeMillis();
        Thread.sleep(2_000);
        assertNotNull(bob.typingShown(), "still shown 2 s after the last key");
        bob.await("typing gone after the peer stopped", Duration.ofSeconds(8), d -> d.typingShown() == null);
        long gone = System.currentTimeMillis() - lastKey;
        System.out.printf("typing: %s, indicator gone %d ms after the last key%n", kind, gone);

        alice.typeWithoutSending("lo bob");
        bob.await("typing shown again", Duration.ofSeconds(3), d -> d.typingShown() != null);
        alice.sendComposed();
        bob.awaitMessage("hello bob", false);
        bob.await("typing gone on send", Duration.ofSeconds(2), d -> d.typingShown() == null);
    }

    @ParameterizedTest(name = "in {0}")
    @EnumSource(Kind.class)
    void aMessageIsMarkedReadOnlyOnceOnTheReadersScreenAndNeverWithReceiptsOff(Kind kind) throws InterruptedException {
        // Two browsers: the receipts setting is remembered per browser (localStorage), and alice
        // and bob are two people.
        ChatTab alice = browser.signedIn(kind == Kind.CHROMIUM ? Kind.FIREFOX : Kind.CHROMIUM, "alice");
        ChatTab bob = browser.signedIn(kind, "bob");
        alice.callAndConnect(bob);

        bob.putInBackground();
        alice.send("read me later");
        alice.awaitDelivered("read me later");
        Thread.sleep(1_500);
        assertEquals("delivered", alice.ownMessageStatus("read me later"), "not read while bob's tab is hidden");
        bob.bringToFront();
        alice.await("marked read once bob looks", d -> "read".equals(d.ownMessageStatus("read me later")));

        bob.setReadReceipts(false);
        long readFramesBefore = bob.channelFramesSent("read");
        alice.send("private now");
        bob.awaitMessage("private now", false);
        alice.awaitDelivered("private now");
        Thread.sleep(1_500);
        assertEquals(readFramesBefore, bob.channelFramesSent("read"), "no read mark went out with receipts off");
        assertEquals("delivered", alice.ownMessageStatus("private now"));
        // Off also means not seeing them: bob's own message, read by alice, stays "delivered" for bob.
        bob.send("do you read me?");
        alice.awaitMessage("do you read me?", false);
        alice.await("alice sent her read mark", d -> d.channelFramesSent("read") >= 1);
        Thread.sleep(500);
        assertEquals("delivered", bob.ownMessageStatus("do you read me?"));
        assertNull(bob.typingShown());
    }
}
