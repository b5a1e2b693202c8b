package local.textchat.signal;

import static local.textchat.signal.RelayTest.ANSWER;
import static local.textchat.signal.RelayTest.CANDIDATE;
import static local.textchat.signal.RelayTest.OFFER;
import static local.textchat.signal.RelayTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import jakarta.json.JsonObject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import local.textchat.config.Settings;
import local.textchat.support.TestServer;
import local.textchat.support.WsClient;

/**
 * PROTOCOL.md: "a client that speaks only the tutorial's messages (login, offer, answer,
 * candidate, leave) and ignores fields it does not know must keep working unchanged". Each
 * socket here is such a client: it sends exactly what the tutorial's client sends (a login with
 * only a name, then every message with {@code name} set to the user it is connected to), reads
 * only the fields the tutorial's client reads, and skips every message type its handler does not
 * know (presence, errors, pongs...). Once while everyone is listed at login, once as in a large
 * deployment, where a login lists one name and a total.
 */
class TutorialClientTest {

    /** The message types the tutorial's client handles; it ignores every other one. */
    private static final Set<String> TUTORIAL_TYPES = Set.of("login", "offer", "answer", "candidate", "leave");

    /** The next message the tutorial's client would act on, which must be a {@code type}. */
    private static JsonObject handled(WsClient client, String type) {
        JsonObject message = client.nextMatching(m -> TUTORIAL_TYPES.contains(m.getString("type", "")));
        assertEquals(type, message.getString("type"), () -> "the tutorial's client would act on " + message);
        return message;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"everyone listed", "a large deployment"})
    void theTutorialsClientLogsInCallsTalksAndHangsUp(String deployment) {
        Map<String, String> settings = deployment.equals("everyone listed") ? Map.of()
                : Map.of(Settings.DIRECTORY_FULL_LIST, "0", Settings.DIRECTORY_PAGE, "1");
        try (TestServer server = TestServer.start(settings); WsClient alice = server.connect();
             WsClient bob = server.connect(); WsClient other = server.connect()) {
            alice.send("{\"type\":\"login\",\"name\":\"tut-alice\"}");
            assertTrue(handled(alice, "login").getBoolean("success"));
            bob.send("{\"type\":\"login\",\"name\":\"tut-bob\"}");
            assertTrue(handled(bob, "login").getBoolean("success"));
            other.send("{\"type\":\"login\",\"name\":\"tut-alice\"}");
            assertFalse(handled(other, "login").getBoolean("success"), "a name in use is refused");

            // alice calls bob; the tutorial's client reads the caller from name and the offer.
            alice.send("{\"type\":\"offer\",\"offer\":" + OFFER + ",\"name\":\"tut-bob\"}");
            JsonObject offer = handled(bob, "offer");
            assertEquals("tut-alice", offer.getString("name"));
            assertEquals(json(OFFER), offer.getJsonObject("offer"));

            // bob answers; alice reads only the answer.
            bob.send("{\"type\":\"answer\",\"answer\":" + ANSWER + ",\"name\":\"tut-alice\"}");
            assertEquals(json(ANSWER), handled(alice, "answer").getJsonObject("answer"));

            // Candidates both ways, read as they were sent.
            alice.send("{\"type\":\"candidate\",\"candidate\":" + CANDIDATE + ",\"name\":\"tut-bob\"}");
            assertEquals(json(CANDIDATE), handled(bob, "candidate").getJsonObject("candidate"));
            bob.send("{\"type\":\"candidate\",\"candidate\":" + CANDIDATE + ",\"name\":\"tut-alice\"}");
            assertEquals(json(CANDIDATE), handled(alice, "candidate").getJsonObject("candidate"));

            // alice hangs up: bob's client is told leave, and can be called again.
            alice.send("{\"type\":\"leave\",\"name\":\"tut-bob\"}");
            handled(bob, "leave");
            alice.send("{\"type\":\"offer\",\"offer\":" + OFFER + ",\"name\":\"tut-bob\"}");
            assertEquals("tut-alice", handled(bob, "offer").getString("name"));
        }
    }
}
