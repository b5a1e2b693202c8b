package local.textchat.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import local.textchat.support.TestServer;
import local.textchat.support.WsClient;

/** PROTOCOL.md, Limits: a per-socket token bucket; sustained floods are closed with 1008. */
class RateLimitTest {

    @Test
    void aBurstWithinTheLimitPasses() {
        try (TestServer server = TestServer.start(); WsClient client = server.connect()) {
            for (int i = 0; i < 100; i++) {
                client.send("{\"type\":\"ping\",\"id\":" + i + "}");
            }
            for (int i = 0; i < 100; i++) {
                assertEquals(i, client.next("pong").getInt("id"));
            }
        }
    }

    @Test
    void thirtyTrickledCandidatesNeverTripIt() {
        try (TestServer server = TestServer.start(); WsClient alice = server.login("alice");
             WsClient bob = server.login("bob")) {
            alice.send("{\"type\":\"offer\",\"name\":\"bob\",\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}");
            bob.next("offer");
            for (int i = 0; i < 30; i++) {
                alice.send("{\"type\":\"candidate\",\"name\":\"bob\",\"candidate\":{\"candidate\":\"c" + i + "\"}}");
            }
            for (int i = 0; i < 30; i++) {
                assertEquals("c" + i, bob.next("candidate").getJsonObject("candidate").getString("candidate"));
            }
            alice.sync();
        }
    }

    @Test
    void aFloodIsRefusedMessageByMessageAndTheSocketStaysOpen() {
        // One token a second: a slow machine cannot refill the bucket while the 20 frames go out.
        try (TestServer server = TestServer.start(Map.of("textchat.rateBurst", "10", "textchat.ratePerSecond", "1"));
             WsClient client = server.connect()) {
            for (int i = 0; i < 20; i++) {
                client.send("{\"type\":\"ping\",\"id\":" + i + "}");
            }
            int pongs = 0;
            int refused = 0;
            for (int i = 0; i < 20; i++) {
                JsonObject m = client.next();
                if (m.getString("type").equals("pong")) {
                    pongs++;
                } else {
                    assertEquals("rate-limited", m.getString("code"), m::toString);
                    refused++;
                }
            }
            assertTrue(pongs >= 10 && pongs <= 13, "pongs " + pongs);
            assertEquals(20 - pongs, refused);
            assertTrue(client.isOpen());
        }
    }

    @Test
    void aSustainedFloodIsClosedWith1008() throws InterruptedException {
        try (TestServer server = TestServer.start(Map.of("textchat.rateBurst", "10", "textchat.ratePerSecond", "5",
                "textchat.abuseSeconds", "1"));
             WsClient client = server.connect()) {
            long end = System.nanoTime() + 3_000_000_000L;
            while (client.isOpen() && System.nanoTime() < end) {
                try {
                    client.send("{\"type\":\"ping\"}");
                } catch (IllegalStateException closed) {
                    break;
                }
                Thread.sleep(5);
            }
            assertEquals(1008, client.awaitClose().getCloseCode().getCode());
        }
    }
}
