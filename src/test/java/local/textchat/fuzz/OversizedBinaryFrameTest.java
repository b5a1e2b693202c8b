package local.textchat.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.websocket.CloseReason;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import local.textchat.support.TestServer;
import local.textchat.support.WsClient;

/**
 * Found by {@link EndpointFuzzTest}: PROTOCOL.md closes the socket with 1009 for any frame over the
 * limit, binary ones included; binary frames within it are refused with {@code bad-frame}. Tyrus
 * does not enforce the session's binary buffer size, so the endpoint has to.
 */
class OversizedBinaryFrameTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aBinaryFrameOverTheLimitClosesWith1009() {
        try (WsClient client = server.connect()) {
            client.sendBinary(new byte[64 * 1024 + 1000]);
            CloseReason reason = client.awaitClose();
            assertEquals(1009, reason.getCloseCode().getCode(), reason::toString);
        }
    }

    @Test
    void aBinaryFrameAtTheLimitIsRefusedAndTheSocketStaysOpen() {
        try (WsClient client = server.connect()) {
            client.sendBinary(new byte[64 * 1024]);
            client.nextError("bad-frame");
            client.sync();
        }
    }
}
