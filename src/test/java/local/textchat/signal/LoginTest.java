package local.textchat.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import local.textchat.support.TestServer;
import local.textchat.support.WsClient;

/** PROTOCOL.md, Rules / Names and One login per socket. */
class LoginTest {

    private TestServer server;

    private static final String ICE_SERVERS =
            "[{\"urls\":[\"stun:127.0.0.1:3478\"]},{\"urls\":\"turn:127.0.0.1:3478\",\"username\":\"u\",\"credential\":\"c\"}]";

    @BeforeEach
    void start() {
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static JsonObject loginReply(WsClient client, String name) {
        client.send(Json.createObjectBuilder().add("type", "login").add("name", name).build());
        return client.next("login");
    }

    @Test
    void successfulLoginReturnsNameUsersAndIceServers() {
        server.close();
        server = TestServer.start(Map.of("textchat.iceServers", ICE_SERVERS));
        try (WsClient bob = server.login("login-bob"); WsClient alice = server.connect()) {
            JsonObject reply = loginReply(alice, "login-alice");
            assertTrue(reply.getBoolean("success"));
            assertEquals("login-alice", reply.getString("name"));
            List<String> users = reply.getJsonArray("users").getValuesAs(JsonString::getString);
            assertTrue(users.contains("login-bob"), () -> "users should list bob: " + users);
            assertFalse(users.contains("login-alice"), "users never lists the user itself");
            assertEquals(Json.createReader(new java.io.StringReader(ICE_SERVERS)).readArray(),
                    reply.getJsonArray("iceServers"));
            assertFalse(reply.containsKey("reason"));
        }
    }

    @Test
    void takenNameIsRefused() {
        try (WsClient first = server.login("taken-1"); WsClient second = server.connect()) {
            JsonObject reply = loginReply(second, "taken-1");
            assertFalse(reply.getBoolean("success"));
            assertEquals("taken", reply.getString("reason"));
            // The refused socket is still usable and may try another name.
            second.login("taken-2");
        }
    }

    @Test
    void namesClashCaseInsensitively() {
        try (WsClient first = server.login("Carol"); WsClient second = server.connect()) {
            assertEquals("taken", loginReply(second, "carol").getString("reason"));
            assertEquals("taken", loginReply(second, "CAROL").getString("reason"));
        }
    }

    @Test
    void namesClashAfterNormalisation() {
        try (WsClient first = server.login("Jos\u00e9"); WsClient second = server.connect()) {
            // "José" written with a combining accent is the same name.
            assertEquals("taken", loginReply(second, "jose\u0301").getString("reason"));
        }
    }

    @Test
    void nameIsReturnedInNfc() {
        try (WsClient client = server.connect()) {
            JsonObject reply = loginReply(client, "Rene\u0301e");
            assertTrue(reply.getBoolean("success"));
            assertEquals("Ren\u00e9e", reply.getString("name"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"小明", "Дмитрий", "علي", "😀 smile", "o'brien-2"})
    void anyScriptIsAccepted(String name) {
        try (WsClient client = server.connect()) {
            JsonObject reply = loginReply(client, name);
            assertTrue(reply.getBoolean("success"), () -> name + " refused: " + reply);
            assertEquals(name, reply.getString("name"));
        }
    }

    @Test
    void thirtyTwoCodePointsAreAcceptedEvenOutsideTheBmp() {
        String name = "😀".repeat(32); // 64 UTF-16 units, 32 code points
        try (WsClient client = server.connect()) {
            assertTrue(loginReply(client, name).getBoolean("success"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " lead", "trail ", "\u3000ideographic-space", "bell\u0007", "tab\tin",
            "zero\u200Bwidth", "rtl\u202Eoverride", "line\u2028sep", "nul\u0000"})
    void invalidNamesAreRefused(String name) {
        try (WsClient client = server.connect()) {
            JsonObject reply = loginReply(client, name);
            assertFalse(reply.getBoolean("success"), () -> "accepted " + name);
            assertEquals("invalid-name", reply.getString("reason"));
        }
    }

    @Test
    void thirtyThreeCodePointsAreTooMany() {
        try (WsClient client = server.connect()) {
            assertEquals("invalid-name", loginReply(client, "x".repeat(33)).getString("reason"));
            assertEquals("invalid-name", loginReply(client, "😀".repeat(33)).getString("reason"));
        }
    }

    @Test
    void loneSurrogateIsRefused() {
        try (WsClient client = server.connect()) {
            client.send("{\"type\":\"login\",\"name\":\"a\\ud800b\"}");
            assertEquals("invalid-name", client.next("login").getString("reason"));
        }
    }

    @Test
    void nonStringNameIsAnInvalidMessage() {
        try (WsClient client = server.connect()) {
            client.send("{\"type\":\"login\",\"name\":42}");
            client.nextError("invalid-message");
            client.send("{\"type\":\"login\"}");
            client.nextError("invalid-message");
            client.send("{\"type\":\"login\",\"name\":null}");
            client.nextError("invalid-message");
            client.login("after-invalid");
        }
    }

    @Test
    void secondLoginOnASocketIsRefused() {
        try (WsClient client = server.login("once"); WsClient other = server.connect()) {
            JsonObject reply = loginReply(client, "twice");
            assertFalse(reply.getBoolean("success"));
            assertEquals("already-logged-in", reply.getString("reason"));
            // The first name is kept and the second was not claimed.
            assertEquals("taken", loginReply(other, "once").getString("reason"));
            other.login("twice");
        }
    }

    @Test
    void aSecondLoginIsAlreadyLoggedInWhateverItsName() {
        try (WsClient client = server.login("once-only")) {
            // Not invalid-name, taken or unauthorized: the socket has its name already.
            assertEquals("already-logged-in", loginReply(client, " bad name ").getString("reason"));
            assertEquals("already-logged-in", loginReply(client, "once-only").getString("reason"));
        }
    }

    @Test
    void unknownFieldsAreIgnored() {
        try (WsClient client = server.connect()) {
            client.send("{\"name\":\"extra-fields\",\"avatar\":{\"x\":[1,2]},\"type\":\"login\",\"v\":2}");
            JsonObject reply = client.next("login");
            assertTrue(reply.getBoolean("success"), reply::toString);
        }
    }
}
