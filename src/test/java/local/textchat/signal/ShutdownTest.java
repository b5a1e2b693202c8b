package local.textchat.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import local.textchat.support.TestServer;
import local.textchat.support.WsClient;

/** PROTOCOL.md, Close codes: when the application stops, every socket is closed with 1001. */
class ShutdownTest {

    /**
     * Settings of its own (the default value, stated) so that on a shared container this test
     * gets a deployment of its own to stop: the other tests share the default one.
     */
    private static final Map<String, String> OWN = Map.of("textchat.pingIntervalSeconds", "25");

    @Test
    void stoppingTheApplicationClosesEverySocketWith1001() {
        try (TestServer server = TestServer.start(OWN); WsClient alice = server.login("alice");
             WsClient lurker = server.connect()) {
            lurker.sync();
            server.stopApplication();
            assertEquals(1001, alice.awaitClose().getCloseCode().getCode());
            assertEquals(1001, lurker.awaitClose().getCloseCode().getCode());
        }
    }
}
