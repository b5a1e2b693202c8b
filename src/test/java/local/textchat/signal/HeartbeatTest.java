package local.textchat.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import local.textchat.support.RawClient;
import local.textchat.support.TestServer;
import local.textchat.support.WsClient;

/** PROTOCOL.md, Keep-alive: idle sockets are pinged; silent ones are closed and their names freed. */
class HeartbeatTest {

    private static final Map<String, String> FAST = Map.of(
            "textchat.pingIntervalSeconds", "1", "textchat.idleTimeoutSeconds", "3");

    @Test
    void aClientThatStopsAnsweringPingsIsClosedAndItsNameFreed() {
        try (TestServer server = TestServer.start(FAST); WsClient bob = server.login("bob");
             RawClient silent = RawClient.connect(server.signalUri(), null)) {
            assertTrue(silent.login("ghost").getBoolean("success"));
            bob.next("online");
            long start = System.nanoTime();
            int code = silent.awaitClose(10_000);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(1000, code);
            assertTrue(ms >= 2500, "closed too early: " + ms + " ms");
            assertEquals("ghost", bob.next("offline").getString("name"));
            try (WsClient again = server.login("ghost")) {
                again.sync();
            }
        }
    }

    @Test
    void aClientThatAnswersPingsStaysConnected() throws InterruptedException {
        try (TestServer server = TestServer.start(FAST); WsClient alice = server.login("alice")) {
            // Tyrus answers pings with pongs by itself, as browsers do.
            Thread.sleep(5_000);
            assertTrue(alice.isOpen());
            alice.sync();
        }
    }
}
