package local.textchat.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import local.textchat.browser.Browser.Kind;

/**
 * The installable app: a valid web app manifest whose icons load, a service worker the browser
 * reports active, a page that opens with the server stopped and says it has no connection, and a
 * cache that never holds the signaling socket or /health.
 */
class InstallableBrowserIT {

    @RegisterExtension
    final BrowserHarness browser = new BrowserHarness();

    @ParameterizedTest(name = "in {0}")
    @EnumSource(Kind.class)
    void theManifestIsValidAndTheServiceWorkerIsActive(Kind kind) {
        ChatTab tab = browser.openTab(kind);
        tab.awaitConnection("open");
        @SuppressWarnings("unchecked")
        Map<String, Object> manifest = (Map<String, Object>) tab.asyncScript("""
                const done = arguments[arguments.length - 1];
                (async () => {
                  const link = document.querySelector('link[rel=manifest]');
                  const response = await fetch(link.href);
                  const json = await response.json();
                  const icons = [];
                  for (const icon of json.icons) {
                    const got = await fetch(new URL(icon.src, link.href));
                    const blob = await got.blob();
                    const image = await createImageBitmap(blob).catch(() => null);
                    icons.push({ src: icon.src, sizes: icon.sizes, type: blob.type, status: got.status,
                      width: image ? image.width : (blob.type === 'image/svg+xml' ? -1 : 0) });
                  }
                  return { type: response.headers.get('content-type'), name: json.name, shortName: json.short_name,
                    start: new URL(json.start_url, link.href).href, scope: new URL(json.scope, link.href).href,
                    page: location.href, display: json.display, icons };
                })().then(done, (e) => done({ error: String(e) }));
                """);
        assertFalse(manifest.containsKey("error"), () -> String.valueOf(manifest));
        assertTrue(String.valueOf(manifest.get("type")).startsWith("application/"), () -> "served as JSON: " + manifest);
        assertEquals("Textchat", manifest.get("name"));
        assertEquals("Textchat", manifest.get("shortName"));
        assertEquals("standalone", manifest.get("display"));
        assertEquals(manifest.get("page"), manifest.get("start"), "starts at the page itself");
        assertTrue(String.valueOf(manifest.get("page")).startsWith(String.valueOf(manifest.get("scope"))));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> icons = (List<Map<String, Object>>) manifest.get("icons");
        for (Map<String, Object> icon : icons) {
            assertEquals(200L, ((Number) icon.get("status")).longValue(), icon::toString);
            String sizes = String.valueOf(icon.get("sizes"));
            if (!"any".equals(sizes)) {
                assertEquals(sizes, icon.get("width") + "x" + icon.get("width"), () -> "the icon is the size it says: " + icon);
            }
        }
        assertTrue(icons.stream().anyMatch(icon -> "512x512".equals(icon.get("sizes"))), "a 512 px icon");
        assertTrue(icons.stream().anyMatch(icon -> "192x192".equals(icon.get("sizes"))), "a 192 px icon");

        assertEquals("activated", awaitWorker(tab));
        assertEquals(List.of(), tab.cspViolations(), "the worker and the manifest are within the page's policy");
    }

    @ParameterizedTest(name = "in {0}")
    @EnumSource(Kind.class)
    void thePageOpensWithTheServerStoppedAndSaysSo(Kind kind) {
        ChatTab tab = browser.signedIn(kind, "alice");
        assertEquals("activated", awaitWorker(tab));
        // The worker controls the page from its next load.
        tab.reload();
        tab.await("the page under its worker", d -> Boolean.TRUE.equals(d.script("return !!navigator.serviceWorker.controller;")));
        @SuppressWarnings("unchecked")
        List<String> cached = (List<String>) tab.asyncScript("""
                const done = arguments[arguments.length - 1];
                caches.keys().then(async (names) => {
                  const urls = [];
                  for (const name of names) {
                    for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
                  }
                  return urls;
                }).then(done, (e) => done([String(e)]));
                """);
        assertTrue(cached.stream().anyMatch(url -> url.endsWith("/js/app.js")), () -> "the shell is kept: " + cached);
        assertTrue(cached.stream().noneMatch(url -> url.endsWith("/signal") || url.endsWith("/health")
                || url.endsWith("/metrics")), () -> "never the socket or health: " + cached);

        browser.server().close();
        tab.reload();
        tab.await("no connection, said in words", d -> "offline".equals(d.connectionState()));
        assertEquals("No connection to the server. Trying again…", tab.connectionText());
        assertTrue(tab.signInShown(), "the page itself is there");
        Object health = tab.asyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('health').then((r) => done('answered ' + r.status), () => done('failed'));
                """);
        assertEquals("failed", health, "/health is never answered from the cache");
    }

    private static String awaitWorker(ChatTab tab) {
        return tab.await("the service worker active", d -> {
            Object state = d.asyncScript("""
                    const done = arguments[arguments.length - 1];
                    navigator.serviceWorker.getRegistration().then((r) => done(r && r.active ? r.active.state : null),
                        () => done(null));
                    """);
            return "activated".equals(state) ? (String) state : null;
        });
    }
}
