package local.textchat.signal;

import static local.textchat.signal.RelayTest.call;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import jakarta.websocket.CloseReason;

import org.junit.jupiter.api.Test;

import local.textchat.support.TestServer;
import local.textchat.support.WsClient;

/** PROTOCOL.md, Transport: frames over the limit (default 64 KiB) close the socket with 1009. */
class MessageSizeTest {

    private static String offerWithSdpOf(String callee, int sdpBytes) {
        return "{\"type\":\"offer\",\"name\":\"" + callee + "\",\"offer\":{\"type\":\"offer\",\"sdp\":\""
                + "a".repeat(sdpBytes) + "\"}}";
    }

    @Test
    void sixtyKibSdpIsRelayedIntact() {
        try (TestServer server = TestServer.start();
             WsClient alice = server.login("alice"); WsClient bob = server.login("bob")) {
            alice.send(offerWithSdpOf("bob", 60 * 1024));
            assertEquals(60 * 1024, bob.next("offer").getJsonObject("offer").getString("sdp").length());
        }
    }

    @Test
    void seventyKibFrameClosesWith1009AndFreesTheName() {
        try (TestServer server = TestServer.start();
             WsClient alice = server.login("alice"); WsClient bob = server.login("bob")) {
            call(alice, "alice", bob, "bob");
            alice.send(offerWithSdpOf("bob", 70 * 1024));
            CloseReason reason = alice.awaitClose();
            assertEquals(1009, reason.getCloseCode().getCode(), reason::toString);
            assertEquals("alice", bob.nextMatching(m -> m.getString("type").equals("leave")).getString("name"));
            bob.nextMatching(m -> m.getString("type").equals("offline"));
            try (WsClient again = server.login("alice")) {
                again.sync();
            }
        }
    }

    @Test
    void aFrameUnderTheLimitInCharactersButOverItInUtf8BytesClosesWith1009() {
        try (TestServer server = TestServer.start();
             WsClient alice = server.login("alice"); WsClient bob = server.login("bob")) {
            // 40,000 characters of two UTF-8 bytes each: 80,000 bytes, over 65,536.
            alice.send("{\"type\":\"offer\",\"name\":\"bob\",\"offer\":{\"type\":\"offer\",\"sdp\":\""
                    + "ü".repeat(40_000) + "\"}}");
            assertEquals(1009, alice.awaitClose().getCloseCode().getCode());
        }
    }

    @Test
    void aBinaryFrameLargerThanAContainersPartButUnderTheLimitIsRefusedNotClosed() {
        try (TestServer server = TestServer.start()) {
            // Sent the moment the socket is open, on many sockets: a container may read the frame
            // before the endpoint's open has run (WildFly once failed 2-3 % of them unanswered).
            for (int i = 0; i < 40; i++) {
                try (WsClient client = server.connect()) {
                    client.sendBinary(new byte[20_000]);
                    client.nextError("bad-frame");
                    client.login("after-big-binary-" + i);
                }
            }
        }
    }

    @Test
    void aBinaryFrameOverTheLimitClosesWith1009() {
        try (TestServer server = TestServer.start(); WsClient client = server.connect()) {
            try {
                client.sendBinary(new byte[70 * 1024]);
            } catch (IllegalStateException closedWhileSending) {
                // A container that reads the frame in parts (WildFly) may close before the client's
                // send has returned: seen once in CI. The close code is what counts.
            }
            assertEquals(1009, client.awaitClose().getCloseCode().getCode());
        }
    }

    @Test
    void theLimitIsConfigurable() {
        try (TestServer server = TestServer.start(Map.of("textchat.maxMessageBytes", "2048"));
             WsClient alice = server.login("alice"); WsClient bob = server.login("bob")) {
            alice.send(offerWithSdpOf("bob", 1500));
            bob.next("offer");
            alice.send(offerWithSdpOf("bob", 3000));
            assertEquals(1009, alice.awaitClose().getCloseCode().getCode());
        }
    }
}
