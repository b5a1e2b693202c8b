package local.textchat.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import local.textchat.support.TestServer;
import local.textchat.support.WsClient;

/**
 * Found by {@link DecoderFuzzTest}: JSON may escape half a surrogate pair ({@code "\ud800"}),
 * UTF-8 cannot carry one, and Tyrus throws {@code java.lang.Error} when asked to send it. Whatever
 * the server echoes or relays from such a frame must still go out, and must not leave the
 * receiving socket deaf to everything after it.
 */
class UnpairedSurrogateTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(Map.of());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anOfferWithAnUnpairedSurrogateReachesTheCalleeIntactAndLeavesItsSocketWorking() {
        try (WsClient alice = server.login("alice"); WsClient bob = server.login("bob")) {
            alice.send("{\"type\":\"offer\",\"name\":\"bob\",\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0 \\ud800\"}}");
            JsonObject offer = bob.next("offer");
            assertEquals("v=0 \ud800", offer.getJsonObject("offer").getString("sdp"));
            alice.send("{\"type\":\"candidate\",\"name\":\"bob\",\"candidate\":{\"candidate\":\"after\"}}");
            assertEquals("after", bob.next("candidate").getJsonObject("candidate").getString("candidate"));
            bob.sync();
        }
    }

    @Test
    void aPingIdWithAnUnpairedSurrogateIsEchoedAndTheSocketKeepsAnswering() {
        try (WsClient client = server.connect()) {
            client.send("{\"type\":\"ping\",\"id\":\"\\udc00\"}");
            assertEquals("\udc00", client.next("pong").getString("id"));
            client.sync();
        }
    }

    @Test
    void refusalsQuotingAnUnpairedSurrogateAreSent() {
        try (WsClient client = server.login("carol")) {
            client.send("{\"type\":\"\\ud800\"}");
            client.nextError("unknown-type");
            client.send("{\"type\":\"offer\",\"name\":\"x\\udbff\",\"offer\":{\"type\":\"offer\",\"sdp\":\"\"}}");
            client.nextError("no-such-user");
            client.sync();
        }
    }
}
