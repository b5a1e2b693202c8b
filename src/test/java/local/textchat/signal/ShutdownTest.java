package local.textchat.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import local.textchat.support.TestServer;
import local.textchat.support.WsClient;

/** PROTOCOL.md, Close codes: when the application stops, every socket is closed with 1001. */
class ShutdownTest {

    @Test
    void stoppingTheApplicationClosesEverySocketWith1001() {
        try (TestServer server = TestServer.start(); WsClient alice = server.login("alice");
             WsClient lurker = server.connect()) {
            lurker.sync();
            server.stopApplication();
            assertEquals(1001, alice.awaitClose().getCloseCode().getCode());
            assertEquals(1001, lurker.awaitClose().getCloseCode().getCode());
        }
    }
}
