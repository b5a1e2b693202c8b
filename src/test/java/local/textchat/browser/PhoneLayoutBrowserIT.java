package local.textchat.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import local.textchat.browser.Browser.Kind;

/**
 * A phone-width screen: nothing scrolls sideways, long words wrap, the composer stays in reach;
 * in Chromium and in Firefox.
 */
class PhoneLayoutBrowserIT {

    @RegisterExtension
    final BrowserHarness browser = new BrowserHarness();

    @ParameterizedTest(name = "in {0}")
    @EnumSource(Kind.class)
    void aPhoneWidthScreenChatsWithoutSidewaysScrolling(Kind kind) {
        ChatTab alice = browser.openTab(kind);
        alice.resize(390, 844);
        alice.signInAndWait("alice");
        ChatTab bob = browser.openTab(kind);
        bob.resize(390, 844); // Chromium's tabs share alice's window; each Firefox tab here is a window of its own
        bob.signInAndWait("bob");
        alice.callAndConnect(bob);

        String unbroken = "x".repeat(400);
        bob.send(unbroken);
        alice.awaitMessage(unbroken, false);
        alice.send("short one");
        bob.awaitMessage("short one", false);

        for (int i = 1; i <= 12; i++) {
            bob.send("message number " + i);
        }
        alice.awaitMessage("message number 12", false);
        assertEquals(Boolean.TRUE, alice.script("""
                const list = document.querySelector('[data-testid=messages]');
                return list.scrollHeight > list.clientHeight
                    && list.scrollHeight - list.scrollTop - list.clientHeight < 2;
                """), "the conversation follows new messages");

        for (ChatTab tab : new ChatTab[] {alice, bob}) {
            assertEquals(Boolean.TRUE, tab.script(
                    "return document.documentElement.scrollWidth <= window.innerWidth"),
                    tab.name() + "'s page scrolls sideways at phone width");
            assertTrue(tab.element("send").isDisplayed());
            Number sendRight = (Number) tab.script(
                    "return document.querySelector('[data-testid=send]').getBoundingClientRect().right");
            Number width = (Number) tab.script("return window.innerWidth");
            assertTrue(sendRight.doubleValue() <= width.doubleValue(), "Send is off screen for " + tab.name());
        }
    }
}
