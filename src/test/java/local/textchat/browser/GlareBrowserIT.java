package local.textchat.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.StringReader;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import local.textchat.browser.Browser.Kind;

/**
 * Two people who call each other at the same moment end up in one call, not in none or two;
 * in Chromium and in Firefox.
 */
class GlareBrowserIT {

    // Clicks the person's Call button at an agreed instant; both tabs share the browser's clock.
    // A timer may fire tens of milliseconds late (Firefox's, 30-90 ms here, more than an offer
    // takes to cross), so it wakes early and the last stretch is waited out in a loop.
    private static final String CALL_AT = """
            const [name, at] = arguments;
            const item = [...document.querySelectorAll('[data-testid=user]')].find((li) => li.dataset.name === name);
            setTimeout(() => {
              while (Date.now() < at) { /* the last few hundred milliseconds */ }
              item.querySelector('[data-testid=call-user]').click();
            }, at - Date.now() - 300);
            """;

    private static final int ATTEMPTS = 5;

    @RegisterExtension
    final BrowserHarness browser = new BrowserHarness();

    @ParameterizedTest(name = "in {0}")
    @EnumSource(Kind.class)
    void crossingCallsBecomeOneCall(Kind kind) {
        ChatTab alice = browser.signedIn(kind, "alice");
        ChatTab bob = browser.signedIn(kind, "bob");
        bob.awaitUser("alice");
        alice.awaitUser("bob");

        // Both tabs click Call at one instant. A busy machine can still delay one click enough for
        // the other's offer to arrive first. Then there was no glare to resolve: the late one was
        // rung (and declines), or its offer came too late to cross (and the call connected). Try again.
        List<JsonObject> offers = List.of();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            int seen = browser.server().recorder().frames().size();
            long at = ((Number) alice.script("return Date.now()")).longValue() + 1500;
            alice.script(CALL_AT, "bob", at);
            bob.script(CALL_AT, "alice", at);
            String settled = alice.await("both connected, or one of them rung", d ->
                    alice.incomingShown() || bob.incomingShown() ? "rung"
                    : "connected".equals(alice.callState()) && "connected".equals(bob.callState()) ? "connected"
                    : null);
            if (settled.equals("rung")) {
                (bob.incomingShown() ? bob : alice).decline();
                alice.awaitCallState("ended");
                bob.awaitCallState("ended");
                continue;
            }
            offers = browser.server().recorder().frames().stream().skip(seen)
                    .filter(frame -> frame.direction() == WireRecorder.Direction.TO_SERVER && frame.text() != null)
                    .map(frame -> Json.createReader(new StringReader(frame.text())).readObject())
                    .filter(message -> "offer".equals(message.getString("type", "")))
                    .toList();
            if (offers.size() >= 2 || attempt == ATTEMPTS) {
                break;
            }
            alice.hangUp();
            alice.awaitCallState("ended");
            bob.awaitCallState("ended");
        }
        assertEquals(List.of("alice", "bob"), offers.stream().map(o -> o.getString("name")).distinct().sorted().toList(),
                "both must have offered, or the calls never crossed: " + offers);
        assertFalse(alice.incomingShown());
        assertFalse(bob.incomingShown());

        alice.send("we both called");
        bob.awaitMessage("we both called", false);
        bob.send("and got one call");
        alice.awaitMessage("and got one call", false);
        alice.awaitDelivered("we both called");
    }
}
