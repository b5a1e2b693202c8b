package local.textchat.browser;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import local.textchat.browser.Browser.Kind;

/**
 * How much the safety code adds to a call's set-up (docs/verification.md, "Cost"): for 20 calls
 * per browser, the milliseconds from the call showing "connected" (the chat channel open) to the
 * code shown at each end, and to the caller's composer opening (sending waits for the pin to be
 * read). A benchmark, not a test: run alone with
 * {@code mvn verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=VerificationSetUpBenchmark -Dinvoker.skip=true -Dcontainers.skip=true}.
 */
class VerificationSetUpBenchmark {
    @RegisterExtension
    final BrowserHarness browser = new BrowserHarness();

    static final String OBSERVE = """
            const t = window.__measure = { connected: null, done: null, enabled: null, pending: false };
            const status = document.querySelector("[data-testid='call-status']");
            const safety = document.querySelector("[data-testid='safety']");
            const send = document.querySelector("[data-testid='send']");
            new MutationObserver(() => {
              const now = performance.now();
              if (t.connected === null && status.getAttribute('data-state') === 'connected') t.connected = now;
              if (safety.getAttribute('data-exchange') === 'pending') t.pending = true;
              if (t.pending && t.done === null && safety.getAttribute('data-exchange') === 'done') t.done = now;
              if (t.connected !== null && t.enabled === null && !send.disabled) t.enabled = now;
            }).observe(document.body, { attributes: true, subtree: true });
            """;

    @ParameterizedTest
    @EnumSource(Kind.class)
    void measure(Kind kind) {
        ChatTab alice = browser.openTab(kind);
        alice.signInAndWait("alice");
        ChatTab bob = browser.openTab(kind);
        bob.signInAndWait("bob");
        StringBuilder out = new StringBuilder("MEASURE " + kind + ":");
        for (int i = 0; i < 20; i++) {
            alice.script(OBSERVE);
            bob.script(OBSERVE);
            alice.callAndConnect(bob);
            alice.awaitSafetyCode();
            bob.awaitSafetyCode();
            alice.await("enabled", t -> t.script("return window.__measure.enabled") != null);
            out.append(" [caller code ").append(alice.script("return (window.__measure.done - window.__measure.connected).toFixed(1)"))
               .append(" callee code ").append(bob.script("return (window.__measure.done - window.__measure.connected).toFixed(1)"))
               .append(" caller send ").append(alice.script("return (window.__measure.enabled - window.__measure.connected).toFixed(1)")).append("]");
            alice.hangUp();
            bob.awaitCallState("ended");
        }
        System.out.println(out);
    }
}
