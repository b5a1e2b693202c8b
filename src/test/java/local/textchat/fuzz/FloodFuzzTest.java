package local.textchat.fuzz;

import static local.textchat.fuzz.Gen.weight;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import local.textchat.protocol.ClientMessage;
import local.textchat.protocol.Codec;
import local.textchat.protocol.ProtocolViolation;
import local.textchat.support.TestServer;
import local.textchat.support.WsClient;

/**
 * Random frames fired at a socket as fast as it takes them, at the default rate limit (burst 100,
 * 20 per second): every frame still gets exactly one answer, in order, either its own or
 * {@code rate-limited}; the first hundred are never limited; the socket stays open (a burst is
 * not abuse) and answers normally once its bucket has refilled.
 *
 * <p>The socket does not log in, so that every frame earns exactly one answer: its error, a pong,
 * or {@code not-logged-in}. {@code -Dfuzz.floods=N} fires N floods; {@code -Dfuzz.seed=N} replays
 * them ({@link Fuzz}).
 */
class FloodFuzzTest {

    private static final int BURST = 100;
    private static final int FLOOD = 250;

    private TestServer server;
    private int frames;
    private int limited;

    @BeforeEach
    void start() {
        server = TestServer.start(Map.of());
    }

    @AfterEach
    void stop() {
        System.out.printf("flood fuzz: %d frames (seed %d), %d answered rate-limited, the rest their own answer%n",
                frames, Fuzz.SEED, limited);
        server.close();
    }

    @Test
    void everyFrameOfAFloodIsAnsweredOnceInOrder() {
        Fuzz.run("everyFrameOfAFloodIsAnsweredOnceInOrder", 3, "fuzz.floods", floods(), this::flood);
    }

    private void flood(List<String> flood) {
        int limitedHere = 0;
        try (WsClient client = server.connect()) {
            for (String frame : flood) {
                client.send(frame);
            }
            for (int i = 0; i < flood.size(); i++) {
                String frame = flood.get(i);
                JsonObject answer = client.next();
                frames++;
                if ("rate-limited".equals(answer.getString("code", null))) {
                    assertTrue(i >= BURST, () -> "frame " + frame + " was limited within the burst");
                    assertTrue(answer.getString("message", "").length() > 0, "rate-limited without a message");
                    limitedHere++;
                } else {
                    checkAnswer(frame, answer);
                }
            }
            assertTrue(limitedHere > 0, "a flood of " + FLOOD + " frames at once must hit the limit");
            limited += limitedHere;
            assertTrue(client.isOpen(), "a short flood is not abuse: the socket must stay open");
            sleep(1100); // at 20 per second, room for a few more again
            client.sync();
            client.login("after-flood");
        }
    }

    /** The one answer this frame earns on a socket that has not logged in. */
    private static void checkAnswer(String frame, JsonObject answer) {
        ClientMessage message;
        try {
            message = Codec.decode(frame);
        } catch (ProtocolViolation violation) {
            assertEquals(violation.code().wire(), answer.getString("code", null), () -> frame + " -> " + answer);
            return;
        }
        if (message instanceof ClientMessage.Ping) {
            assertEquals("pong", answer.getString("type"), () -> frame + " -> " + answer);
        } else {
            assertEquals("not-logged-in", answer.getString("code", null), () -> frame + " -> " + answer);
        }
    }

    private static Gen<List<String>> floods() {
        Gen<String> frames = Gen.frequency(
                weight(3, Frames.ANY.mutatedMessages()), weight(2, Frames.VALID.validMessages()),
                weight(1, Frames.ANY.randomJson()), weight(1, Frames.ANY.garbled()), weight(1, Frames.ANY.truncated()))
                .map(Frames::wellFormed)
                .filter(FloodFuzzTest::answeredOnce);
        return frames.list(FLOOD, FLOOD);
    }

    /** Logins change the socket's state, and frames over the limit close it: the flood has neither. */
    private static boolean answeredOnce(String frame) {
        if (frame.getBytes(StandardCharsets.UTF_8).length > 64 * 1024) {
            return false;
        }
        try {
            return !(Codec.decode(frame) instanceof ClientMessage.Login);
        } catch (ProtocolViolation violation) {
            return true;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
