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
    private static final String CALL_AT = """
            const [name, at] = arguments;
            const item = [...document.querySelectorAll('[data-testid=user]')].find((li) => li.dataset.name === name);
            setTimeout(() => item.querySelector('[data-testid=call-user]').click(), at - Date.now());
            """;

    @RegisterExtension
    final BrowserHarness browser = new BrowserHarness();

    @ParameterizedTest(name = "in {0}")
    @EnumSource(Kind.class)
    void crossingCallsBecomeOneCall(Kind kind) {
        ChatTab alice = browser.openTab(kind);
        alice.signInAndWait("alice");
        ChatTab bob = browser.openTab(kind);
        bob.signInAndWait("bob");
        bob.awaitUser("alice");
        alice.awaitUser("bob");

        // Both tabs click Call at one instant. A background tab's timer can still fire late enough
        // for the other's offer to arrive first (then there was no glare to resolve): try again.
        List<JsonObject> offers = List.of();
        for (int attempt = 1; attempt <= 3; attempt++) {
            int seen = browser.server().recorder().frames().size();
            long at = ((Number) alice.script("return Date.now()")).longValue() + 1500;
            alice.script(CALL_AT, "bob", at);
            bob.script(CALL_AT, "alice", at);
            alice.awaitCallState("connected");
            bob.awaitCallState("connected");
            offers = browser.server().recorder().frames().stream().skip(seen)
                    .filter(frame -> frame.direction() == WireRecorder.Direction.TO_SERVER && frame.text() != null)
                    .map(frame -> Json.createReader(new StringReader(frame.text())).readObject())
                    .filter(message -> "offer".equals(message.getString("type", "")))
                    .toList();
            if (offers.size() >= 2 || attempt == 3) {
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
