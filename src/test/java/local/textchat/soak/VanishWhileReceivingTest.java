package local.textchat.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import local.textchat.support.RawClient;
import local.textchat.support.TestServer;
import local.textchat.support.WsClient;

/**
 * Found by {@link SoakTest}: PROTOCOL.md keeps the name and calls of a socket that drops without a
 * close handshake for the grace period, however the server finds out. On Tyrus, a drop noticed by
 * a failing write (the peer was relaying to it) is reported to {@code @OnClose} as 1001 "Going
 * away." rather than 1006, and was taken for a clean close: name freed at once, peer told
 * {@code leave}, resume impossible.
 *
 * <p>The race is the transport's, so the drop is repeated while the peer keeps relaying; each
 * time, a resume well within the grace period must find the call still there.
 */
class VanishWhileReceivingTest {

    private static final int ATTEMPTS = 40;
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(Map.of("textchat.resumeGraceSeconds", "10", "textchat.rateBurst", "1000000",
                "textchat.ratePerSecond", "1000000"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aSocketThatVanishesWhileBeingRelayedToKeepsItsCallForTheGracePeriod() throws Exception {
        List<String> lost = new ArrayList<>();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            String alice = "alice-" + attempt;
            String bob = "bob-" + attempt;
            try (WsClient caller = server.login(bob)) {
                RawClient callee = RawClient.connect(server.signalUri(), null);
                String token = callee.login(alice).getString("token");
                caller.nextMatching(m -> m.getString("type").equals("online") && alice.equals(m.getString("name")));
                caller.send("{\"type\":\"offer\",\"name\":\"" + alice
                        + "\",\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}");
                caller.sync();
                AtomicBoolean relaying = new AtomicBoolean(true);
                String candidate = "{\"type\":\"candidate\",\"name\":\"" + alice
                        + "\",\"candidate\":{\"candidate\":\"c\"}}";
                Thread trickle = new Thread(() -> {
                    // Paced well under the send backlog, which would close a receiver this slow with 1008.
                    while (relaying.get()) {
                        caller.send(candidate);
                        LockSupport.parkNanos(500_000);
                    }
                });
                trickle.start();
                Thread.sleep(10 + 10 * (attempt % 8));
                callee.drop();
                Thread.sleep(100);
                relaying.set(false);
                trickle.join();

                try (WsClient back = server.connect()) {
                    back.send("{\"type\":\"login\",\"name\":\"" + alice + "\",\"token\":\"" + token + "\"}");
                    JsonObject reply = back.nextMatching(m -> m.getString("type").equals("login"));
                    assertTrue(reply.getBoolean("success"), reply::toString);
                    back.send("{\"type\":\"candidate\",\"name\":\"" + bob + "\",\"candidate\":null}");
                    back.sync();
                    List<String> heard = aboutAlice(caller, alice);
                    if (!heard.equals(List.of("candidate"))) {
                        lost.add("attempt " + attempt + ": " + bob + " heard " + heard);
                    }
                }
            }
        }
        assertEquals(List.of(), lost, "calls lost although the resume came within the grace period");
    }

    /** What {@code listener} has heard from or about {@code alice} so far, by message type, errors aside. */
    private static List<String> aboutAlice(WsClient listener, String alice) {
        String id = "about-" + alice;
        listener.send("{\"type\":\"ping\",\"id\":\"" + id + "\"}");
        List<String> heard = new ArrayList<>();
        while (true) {
            JsonObject m = listener.next();
            if (m.getString("type").equals("pong") && id.equals(m.getString("id", ""))) {
                return heard;
            }
            if (alice.equals(m.getString("name", ""))) {
                heard.add(m.getString("type"));
            }
        }
    }
}
