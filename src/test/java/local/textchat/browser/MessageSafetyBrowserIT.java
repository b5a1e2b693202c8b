package local.textchat.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import local.textchat.browser.Browser.Kind;

/**
 * What people type is only ever text (in Chromium and in Firefox), and it goes browser to browser,
 * never via the server.
 */
class MessageSafetyBrowserIT {

    @RegisterExtension
    final BrowserHarness browser = new BrowserHarness();

    @ParameterizedTest(name = "in {0}")
    @EnumSource(Kind.class)
    void markupInAMessageIsShownLiterallyAndRunsNothing(Kind kind) {
        ChatTab alice = browser.signedIn(kind, "alice");
        ChatTab bob = browser.signedIn(kind, "bob");
        alice.callAndConnect(bob);

        String markup = "<img src=x onerror=alert(1)>";
        alice.send(markup);
        bob.awaitMessage(markup, false);
        alice.awaitDelivered(markup);

        for (ChatTab tab : List.of(alice, bob)) {
            assertEquals(0L, tab.script("return document.querySelectorAll('[data-testid=messages] img').length"),
                    "the message became an element in " + tab.name() + "'s page");
            assertEquals(List.of(), tab.dialogsOpened(), "the message opened a dialog in " + tab.name() + "'s page");
            assertEquals(List.of(), tab.cspViolations(), "the page broke its own Content-Security-Policy");
        }
        List<String> console = browser.consoleLog();
        // Chromium writes "Content Security Policy", Firefox "Content-Security-Policy".
        assertFalse(console.stream().anyMatch(line -> line.contains("Content Security Policy")
                || line.contains("Content-Security-Policy")),
                "the page broke its own Content-Security-Policy: " + console);
    }

    @Test
    void chatTextNeverPassesThroughTheSignalingServer() {
        ChatTab alice = browser.openTab();
        alice.signInAndWait("alice");
        ChatTab bob = browser.openTab();
        bob.signInAndWait("bob");
        alice.callAndConnect(bob);

        String fromAlice = "alice-secret-7f3a9c";
        String fromBob = "bob-secret-52e1d0 中文也是";
        alice.send(fromAlice);
        bob.awaitMessage(fromAlice, false);
        alice.awaitDelivered(fromAlice);
        bob.send(fromBob);
        alice.awaitMessage(fromBob, false);
        bob.awaitDelivered(fromBob);

        WireRecorder recorder = browser.server().recorder();
        List<String> relayed = recorder.texts();
        assertTrue(relayed.stream().anyMatch(text -> text.contains("\"offer\"")),
                "the recorder must have seen the signaling itself: " + relayed);
        assertTrue(recorder.frames().stream().allMatch(frame -> frame.text() != null || frame.opcode() == 0x8),
                "every WebSocket message must be readable text (no compression, no binary): " + recorder.frames());
        for (String secret : List.of(fromAlice, "alice-secret", fromBob, "bob-secret", "中文也是")) {
            assertFalse(relayed.stream().anyMatch(text -> text.contains(secret)),
                    "\"" + secret + "\" went through the signaling server");
        }
    }

    @Test
    void thePageIsServedWithStrictSecurityHeaders() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI page = browser.server().page();
        HttpResponse<String> index = http.send(HttpRequest.newBuilder(page).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, index.statusCode());
        String csp = index.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue(csp.contains("script-src 'self'"), csp);
        assertTrue(csp.contains("connect-src 'self'"), csp);
        // The installable app (manifest, service worker) grows it by exactly these, nothing inline.
        assertTrue(csp.contains("manifest-src 'self'") && csp.contains("worker-src 'self'"), csp);
        // Pictures received over a call are shown from blob: URLs, and only pictures: img-src alone.
        assertTrue(csp.contains("img-src 'self' blob:;"), csp);
        assertFalse(csp.replace("img-src 'self' blob:;", "").contains("blob:"), csp);
        assertFalse(csp.contains("unsafe-inline"), csp);
        assertFalse(csp.contains("unsafe-eval"), csp);
        assertEquals("nosniff", index.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertEquals("no-referrer", index.headers().firstValue("Referrer-Policy").orElseThrow());

        HttpResponse<String> script = http.send(HttpRequest.newBuilder(page.resolve("js/app.js")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, script.statusCode());
        assertTrue(script.headers().firstValue("Content-Type").orElseThrow().startsWith("text/javascript"),
                script.headers().map().toString());
        assertTrue(script.headers().firstValue("Content-Security-Policy").isPresent());
    }
}
