package local.textchat.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import local.textchat.browser.Browser.Kind;

/**
 * The safety code through an honest server (docs/verification.md): both ends show the same code,
 * a peer marked verified is still verified after both pages reload, a peer with a new
 * certificate shows the changed-code warning, and a tampered exchange is caught.
 */
class VerifiedPeersBrowserIT {

    private static final String CODE = "\\d{4} \\d{4} \\d{4}";

    @RegisterExtension
    final BrowserHarness browser = new BrowserHarness();

    static Stream<Arguments> browserPairs() {
        return Stream.of(
                Arguments.of(Kind.CHROMIUM, Kind.CHROMIUM),
                Arguments.of(Kind.FIREFOX, Kind.FIREFOX),
                Arguments.of(Kind.CHROMIUM, Kind.FIREFOX));
    }

    @ParameterizedTest(name = "Alice in {0}, Bob in {1}")
    @MethodSource("browserPairs")
    void sameCodeOnBothEndsAndVerifiedStaysVerifiedAfterReload(Kind aliceBrowser, Kind bobBrowser) {
        ChatTab alice = browser.signedIn(aliceBrowser, "alice");
        ChatTab bob = browser.signedIn(bobBrowser, "bob");

        alice.callAndConnect(bob);
        String code = alice.awaitSafetyCode();
        assertTrue(code.matches(CODE), "three groups of four digits: " + code);
        assertEquals(code, bob.awaitSafetyCode(), "both ends show the same code");
        alice.awaitSafetyTrust("unverified");
        bob.awaitSafetyTrust("unverified");
        assertEquals("bob is not verified yet", alice.element("safety-status-text").text());
        assertEquals(String.join(", ", code.split(" ")).replaceAll("(\\d)(?=\\d)", "$1 "),
                alice.element("safety-code").getAttribute("aria-label"), "a screen reader reads it digit by digit");
        alice.send("before verifying");
        bob.awaitMessage("before verifying", false);

        alice.markVerified();
        bob.markVerified();
        assertEquals("bob is verified", alice.element("safety-status-text").text());
        alice.hangUp();
        bob.awaitCallState("ended");

        alice.reload();
        bob.reload();
        alice.signInAndWait("alice");
        bob.signInAndWait("bob");
        bob.callAndConnect(alice);
        alice.awaitSafetyTrust("verified");
        bob.awaitSafetyTrust("verified");
        String second = alice.awaitSafetyCode();
        assertEquals(second, bob.awaitSafetyCode());
        assertFalse(alice.element("safety-verify").isDisplayed(), "nothing left to compare");
        bob.send("still you");
        alice.awaitMessage("still you", false);
    }

    @Test
    void aPeerWhoClearedItsSiteDataShowsTheChangedCodeWarning() {
        ChatTab alice = browser.openTab(Kind.CHROMIUM);
        alice.signInAndWait("alice");
        ChatTab bob = browser.openTab(Kind.FIREFOX);
        bob.signInAndWait("bob");
        alice.callAndConnect(bob);
        assertEquals(alice.awaitSafetyCode(), bob.awaitSafetyCode());
        alice.markVerified();
        bob.markVerified();
        bob.hangUp();
        alice.awaitCallState("ended");

        clearSiteData(bob);
        bob.reload();
        bob.signInAndWait("bob");
        alice.callAndConnect(bob);

        alice.awaitSafetyTrust("changed");
        bob.awaitSafetyTrust("unverified"); // his pins went with his site data
        assertEquals("bob's safety code changed", alice.element("safety-status-text").text());
        assertTrue(alice.element("safety-help").text().contains("Compare the new code with bob before you write anything"),
                alice.element("safety-help").text());
        assertFalse(alice.sendEnabled(), "nothing is sent before alice chose what to do");
        assertTrue(alice.element("safety-accept").isDisplayed());

        // She compares the new code with him and verifies him again.
        String code = alice.awaitSafetyCode();
        assertEquals(code, bob.awaitSafetyCode());
        alice.markVerified();
        alice.await("the composer open", ChatTab::sendEnabled);
        alice.send("new phone?");
        bob.awaitMessage("new phone?", false);
    }

    @Test
    void chattingOnAfterAChangedCodeIsTheUsersChoice() {
        ChatTab alice = browser.openTab(Kind.FIREFOX);
        alice.signInAndWait("alice");
        ChatTab bob = browser.openTab(Kind.CHROMIUM);
        bob.signInAndWait("bob");
        alice.callAndConnect(bob);
        alice.awaitSafetyCode();
        alice.markVerified();
        alice.hangUp();
        bob.awaitCallState("ended");

        clearSiteData(bob);
        bob.reload();
        bob.signInAndWait("bob");
        bob.callAndConnect(alice);
        alice.awaitSafetyTrust("changed");
        assertFalse(alice.sendEnabled());
        alice.chatAnyway();
        alice.await("the composer open", ChatTab::sendEnabled);
        assertEquals("changed", alice.safetyTrust(), "still not verified");
        alice.send("hello anyway");
        bob.awaitMessage("hello anyway", false);
    }

    @Test
    void aRevealThatDoesNotMatchItsCommitmentIsCaught() {
        ChatTab alice = browser.openTab(Kind.CHROMIUM);
        alice.signInAndWait("alice");
        ChatTab bob = browser.openTab(Kind.CHROMIUM);
        bob.signInAndWait("bob");
        // Alice's page (the caller) reveals another nonce than the one it committed to.
        alice.script("""
                const send = RTCDataChannel.prototype.send;
                RTCDataChannel.prototype.send = function (data) {
                  if (typeof data === 'string' && data.includes('"verify-reveal"')) {
                    const message = JSON.parse(data);
                    const other = crypto.getRandomValues(new Uint8Array(32));
                    message.nonce = btoa(String.fromCharCode(...other)).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
                    data = JSON.stringify(message);
                  }
                  return send.call(this, data);
                };
                """);
        alice.callAndConnect(bob);

        String why = bob.awaitSafetyFailure();
        assertTrue(why.contains("did not match what it promised"), why);
        assertEquals("", bob.element("safety-code").text(), "no code is shown");
        assertFalse(bob.element("safety-verify").isDisplayed(), "nothing to mark as verified");
        bob.awaitSafetyTrust("unverified");
        alice.send("chat still works");
        bob.awaitMessage("chat still works", false);
        bob.send("yes");
        alice.awaitMessage("yes", false);
    }

    /** What "clear this site's data" does to the page's storage: the identity database goes. */
    private static void clearSiteData(ChatTab tab) {
        Object result = tab.asyncScript("""
                const done = arguments[arguments.length - 1];
                localStorage.clear();
                sessionStorage.clear();
                const request = indexedDB.deleteDatabase('textchat-identity');
                request.onsuccess = () => done('deleted');
                request.onerror = () => done('failed: ' + request.error);
                request.onblocked = () => done('blocked');
                """);
        assertEquals("deleted", result);
    }
}
