package local.textchat.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

class TurnCredentialsTest {

    @Test
    void knownVector() {
        TurnCredentials turn = new TurnCredentials("s3cr3t-exp-turn", 86_400);
        assertEquals("ssJ3i0H5rAJCCaX5kYClveODROo=", turn.hmac("1800000000:alice"));
    }

    @Test
    void usernameCarriesTheExpiry() {
        TurnCredentials turn = new TurnCredentials("s3cr3t-exp-turn", 3_600);
        TurnCredentials.Credential c = turn.mint("alice", 1_799_996_400L);
        assertEquals("1800000000:alice", c.username());
        assertEquals("ssJ3i0H5rAJCCaX5kYClveODROo=", c.credential());
    }

    @Test
    void theSecretIsNeverPrinted() {
        TurnCredentials turn = new TurnCredentials("s3cr3t-exp-turn", 60);
        assertFalse(turn.toString().contains("s3cr3t"), turn.toString());
        assertThrows(IllegalArgumentException.class, () -> new TurnCredentials("", 60));
    }

    @Test
    void iceServersAppendOneMintedTurnEntry() {
        JsonArray stun = Json.createArrayBuilder().add(Json.createObjectBuilder().add("urls", "stun:127.0.0.1:3478")).build();
        Clock clock = Clock.fixed(Instant.ofEpochSecond(1_799_996_400L), ZoneOffset.UTC);
        IceServers servers = new IceServers(stun, List.of("turn:127.0.0.1:3478?transport=udp",
                "turn:127.0.0.1:3478?transport=tcp"), new TurnCredentials("s3cr3t-exp-turn", 3_600), clock);
        JsonArray list = servers.forUser("alice");
        assertEquals(2, list.size());
        assertEquals(stun.get(0), list.get(0));
        JsonObject turn = list.getJsonObject(1);
        assertEquals(2, turn.getJsonArray("urls").size());
        assertEquals("1800000000:alice", turn.getString("username"));
        assertEquals("ssJ3i0H5rAJCCaX5kYClveODROo=", turn.getString("credential"));
    }

    @Test
    void withoutTurnUrlsTheConfiguredListIsUnchanged() {
        JsonArray stun = Json.createArrayBuilder().add(Json.createObjectBuilder().add("urls", "stun:x")).build();
        assertTrue(new IceServers(stun, List.of(), null, Clock.systemUTC()).forUser("bob") == stun);
    }
}
