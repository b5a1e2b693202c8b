package local.textchat.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import local.textchat.support.WithServer;
import local.textchat.support.WsClient;

/** PROTOCOL.md, Error codes: every bad frame gets a clear error and the socket stays usable. */
class ErrorsTest extends WithServer {


    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{nope                                              | bad-json",
            "``                                                 | bad-json",
            "[1,2]                                              | bad-json",
            "`\"login\"`                                        | bad-json",
            "{\"type\":\"login\",\"name\":\"a\"} trailing         | bad-json",
            "{}                                                 | invalid-message",
            "{\"name\":\"x\"}                                   | invalid-message",
            "{\"type\":7}                                       | invalid-message",
            "{\"type\":null}                                    | invalid-message",
            "{\"type\":\"subscribe\"}                           | unknown-type",
            "{\"type\":\"LOGIN\",\"name\":\"x\"}                | unknown-type",
            "{\"type\":\"offer\",\"name\":\"x\"}                | invalid-message",
            "{\"type\":\"offer\",\"name\":\"x\",\"offer\":\"v=0\"} | invalid-message",
            "{\"type\":\"offer\",\"name\":\"x\",\"offer\":{\"type\":\"offer\"}} | invalid-message",
            "{\"type\":\"offer\",\"name\":\"x\",\"offer\":{\"type\":1,\"sdp\":\"v=0\"}} | invalid-message",
            "{\"type\":\"answer\",\"name\":[],\"answer\":{\"type\":\"answer\",\"sdp\":\"\"}} | invalid-message",
            "{\"type\":\"candidate\",\"name\":\"x\"}            | invalid-message",
            "{\"type\":\"candidate\",\"name\":\"x\",\"candidate\":\"candidate:1\"} | invalid-message",
            "{\"type\":\"candidate\",\"name\":\"x\",\"candidate\":{\"sdpMid\":\"0\"}} | invalid-message",
            "{\"type\":\"leave\"}                               | invalid-message",
            "{\"type\":\"leave\",\"name\":true}                 | invalid-message",
            "{\"type\":\"decline\",\"name\":\"x\",\"reason\":5} | invalid-message",
            "{\"type\":\"ping\",\"id\":{}}                      | invalid-message",
            "{\"type\":\"login\",\"name\":\"x\",\"token\":5}    | invalid-message"
    })
    void badFramesGetTheirErrorAndTheSocketStaysUsable(String frame, String code) {
        try (WsClient client = server.connect()) {
            client.send(frame);
            JsonObject error = client.nextError(code);
            assertTrue(error.getString("message").length() > 5, error::toString);
            client.login("still-usable");
        }
    }

    @Test
    void binaryFramesAreRefused() {
        try (WsClient client = server.connect()) {
            client.sendBinary("{\"type\":\"login\",\"name\":\"bin\"}".getBytes(StandardCharsets.UTF_8));
            client.nextError("bad-frame");
            client.login("after-binary");
        }
    }

    @Test
    void nothingButLoginAndPingBeforeLogin() {
        try (WsClient lurker = server.connect(); WsClient bob = server.login("nl-bob")) {
            lurker.send("{\"type\":\"offer\",\"name\":\"nl-bob\",\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}");
            lurker.nextError("not-logged-in");
            lurker.send("{\"type\":\"candidate\",\"name\":\"nl-bob\",\"candidate\":null}");
            lurker.nextError("not-logged-in");
            lurker.send("{\"type\":\"leave\",\"name\":\"nl-bob\"}");
            lurker.nextError("not-logged-in");
            lurker.send("{\"type\":\"ping\"}");
            lurker.next("pong");
            bob.sync();
            assertEquals(0, bob.pending(), "nothing was relayed to bob");
        }
    }

    @Test
    void pingIsAnsweredWithTheSameId() {
        try (WsClient client = server.connect()) {
            client.send("{\"type\":\"ping\",\"id\":\"abc-1\"}");
            assertEquals("abc-1", client.next("pong").getString("id"));
            client.send("{\"type\":\"ping\",\"id\":42}");
            assertEquals(42, client.next("pong").getInt("id"));
            client.send("{\"type\":\"ping\"}");
            assertTrue(!client.next("pong").containsKey("id"));
        }
    }

    @Test
    void theServerSendsNothingUnasked() {
        try (WsClient client = server.connect()) {
            client.expectSilence(300);
        }
    }

    @Test
    void deeplyNestedJsonIsBadJson() {
        try (WsClient client = server.connect()) {
            client.send("{\"type\":\"ping\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}");
            JsonObject reply = client.next();
            // Either accepted as a ping with an ignored field, or refused as bad JSON; never a dead socket.
            assertTrue(reply.getString("type").equals("pong") || reply.getString("code", "").equals("bad-json"),
                    reply::toString);
            client.login("after-nesting");
        }
    }
}
