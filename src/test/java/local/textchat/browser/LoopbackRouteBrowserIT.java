package local.textchat.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.StringReader;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The peer connection uses what the server says and nothing but loopback in the tests. */
class LoopbackRouteBrowserIT {

    private static final String ROUTE = """
            const done = arguments[arguments.length - 1];
            const pc = window.__textchatTest.peerConnections.at(-1);
            pc.getStats().then((report) => {
              let pair = null;
              report.forEach((s) => {
                if (s.type === 'transport' && s.selectedCandidatePairId) pair = report.get(s.selectedCandidatePairId);
              });
              const local = [];
              report.forEach((s) => { if (s.type === 'local-candidate') local.push(s.address); });
              done({
                local: pair ? report.get(pair.localCandidateId).address : null,
                remote: pair ? report.get(pair.remoteCandidateId).address : null,
                gathered: local,
                iceServers: JSON.stringify(pc.getConfiguration().iceServers),
                iceTransportPolicy: pc.getConfiguration().iceTransportPolicy,
              });
            }, (error) => done({ error: String(error) }));
            """;

    @RegisterExtension
    final BrowserHarness browser = new BrowserHarness();

    @Test
    void theSelectedCandidatePairIsLoopbackOnBothEndsAndIceIsConfiguredByTheServer() {
        ChatTab alice = browser.openTab();
        alice.signInAndWait("alice");
        ChatTab bob = browser.openTab();
        bob.signInAndWait("bob");
        alice.callAndConnect(bob);
        JsonObject login = loginReply();
        List<String> loginIceUrls = iceUrls(login.getJsonArray("iceServers"));
        assertFalse(loginIceUrls.isEmpty());

        for (ChatTab tab : List.of(alice, bob)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> route = (Map<String, Object>) tab.asyncScript(ROUTE);
            assertEquals("127.0.0.1", route.get("local"), tab.name() + ": " + route);
            assertEquals("127.0.0.1", route.get("remote"), tab.name() + ": " + route);
            assertEquals(List.of("127.0.0.1"), ((List<?>) route.get("gathered")).stream().distinct().toList(),
                    tab.name() + " gathered candidates on other interfaces: " + route);
            JsonArray used = Json.createReader(new StringReader((String) route.get("iceServers"))).readArray();
            assertEquals(loginIceUrls, iceUrls(used), tab.name() + " must use exactly the login reply's iceServers");
            assertEquals(login.getString("iceTransportPolicy", "all"), route.get("iceTransportPolicy"));
            // The page shows the same route in its connection details.
            tab.await("127.0.0.1 at both ends in the call details",
                    d -> "127.0.0.1".equals(tab.element("call-route").getAttribute("data-local"))
                            && "127.0.0.1".equals(tab.element("call-route").getAttribute("data-remote")));
        }
    }

    private JsonObject loginReply() {
        return browser.server().recorder().frames().stream()
                .filter(frame -> frame.direction() == WireRecorder.Direction.FROM_SERVER && frame.text() != null)
                .map(frame -> Json.createReader(new StringReader(frame.text())).readObject())
                .filter(message -> "login".equals(message.getString("type", "")) && message.getBoolean("success", false))
                .findFirst().orElseThrow();
    }

    private static List<String> iceUrls(JsonArray servers) {
        return servers.stream()
                .map(JsonValue::asJsonObject)
                .flatMap(server -> {
                    JsonValue urls = server.get("urls");
                    return urls instanceof JsonString one ? List.of(one.getString()).stream()
                            : urls.asJsonArray().getValuesAs(JsonString.class).stream().map(JsonString::getString);
                })
                .toList();
    }
}
