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
            Map<String, Map<String, Object>> pair = tab.selectedPair();
            assertEquals("127.0.0.1", pair.get("local").get("address"), tab.name() + ": " + pair);
            assertEquals("127.0.0.1", pair.get("remote").get("address"), tab.name() + ": " + pair);
            Map<String, Object> setUp = tab.iceSetUp();
            assertEquals(List.of("127.0.0.1"), ((List<?>) setUp.get("gathered")).stream().distinct().toList(),
                    tab.name() + " gathered candidates on other interfaces: " + setUp);
            JsonArray used = Json.createReader(new StringReader((String) setUp.get("iceServers"))).readArray();
            assertEquals(loginIceUrls, iceUrls(used), tab.name() + " must use exactly the login reply's iceServers");
            assertEquals(login.getString("iceTransportPolicy", "all"), setUp.get("iceTransportPolicy"));
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
