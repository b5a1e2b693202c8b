package local.textchat.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;

import local.textchat.support.WithServer;
import local.textchat.support.WsClient;

/** PROTOCOL.md: offer, answer and candidate are relayed unchanged, stamped with the sender. */
class RelayTest extends WithServer {

    static final String OFFER = "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 4611731400430051336 2 IN IP4 127.0.0.1\\r\\n"
            + "s=-\\r\\nt=0 0\\r\\na=group:BUNDLE 0\\r\\n\",\"x-flag\":true,\"x-num\":1.5e3,\"x-nested\":{\"a\":[null,false,\"ü\"]}}";
    static final String ANSWER = "{\"type\":\"answer\",\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n\"}";
    static final String CANDIDATE = "{\"candidate\":\"candidate:1 1 udp 2122260223 127.0.0.1 54321 typ host\","
            + "\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"usernameFragment\":\"abcd\"}";


    static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    /** alice offers to bob; bob has received it. */
    static void call(WsClient alice, String aliceName, WsClient bob, String bobName) {
        alice.send("{\"type\":\"offer\",\"name\":\"" + bobName + "\",\"offer\":" + OFFER + "}");
        JsonObject offer = bob.next("offer");
        assertEquals(aliceName, offer.getString("name"));
    }

    @Test
    void offerIsRelayedUnchangedAndStampedWithTheCaller() {
        try (WsClient alice = server.login("r-alice"); WsClient bob = server.login("r-bob")) {
            alice.next("online");
            alice.send("{\"type\":\"offer\",\"name\":\"r-bob\",\"offer\":" + OFFER + "}");
            JsonObject offer = bob.next("offer");
            assertEquals("r-alice", offer.getString("name"));
            assertEquals(json(OFFER), offer.getJsonObject("offer"));
            alice.expectSilence(200);
        }
    }

    @Test
    void answerIsRelayedBackStampedWithTheCallee() {
        try (WsClient alice = server.login("a-alice"); WsClient bob = server.login("a-bob")) {
            call(alice, "a-alice", bob, "a-bob");
            bob.send("{\"type\":\"answer\",\"name\":\"a-alice\",\"answer\":" + ANSWER + "}");
            JsonObject answer = alice.nextMatching(m -> m.getString("type").equals("answer"));
            assertEquals("a-bob", answer.getString("name"));
            assertEquals(json(ANSWER), answer.getJsonObject("answer"));
        }
    }

    @Test
    void candidatesFlowBothWaysUnchanged() {
        try (WsClient alice = server.login("c-alice"); WsClient bob = server.login("c-bob")) {
            call(alice, "c-alice", bob, "c-bob");
            alice.send("{\"type\":\"candidate\",\"name\":\"c-bob\",\"candidate\":" + CANDIDATE + "}");
            JsonObject atBob = bob.next("candidate");
            assertEquals("c-alice", atBob.getString("name"));
            assertEquals(json(CANDIDATE), atBob.getJsonObject("candidate"));

            bob.send("{\"type\":\"candidate\",\"name\":\"c-alice\",\"candidate\":" + CANDIDATE + "}");
            JsonObject atAlice = alice.nextMatching(m -> m.getString("type").equals("candidate"));
            assertEquals("c-bob", atAlice.getString("name"));
            assertEquals(json(CANDIDATE), atAlice.getJsonObject("candidate"));
        }
    }

    @Test
    void endOfCandidatesNullIsRelayedAsNull() {
        try (WsClient alice = server.login("n-alice"); WsClient bob = server.login("n-bob")) {
            call(alice, "n-alice", bob, "n-bob");
            alice.send("{\"type\":\"candidate\",\"name\":\"n-bob\",\"candidate\":null}");
            JsonObject atBob = bob.next("candidate");
            assertTrue(atBob.containsKey("candidate"), "candidate key must be present");
            assertEquals(JsonValue.NULL, atBob.get("candidate"));
        }
    }

    @Test
    void clientSuppliedSenderFieldsAreNotTrusted() {
        try (WsClient alice = server.login("s-alice"); WsClient bob = server.login("s-bob")) {
            call(alice, "s-alice", bob, "s-bob");
            alice.send("{\"type\":\"candidate\",\"name\":\"s-bob\",\"from\":\"mallory\",\"sender\":\"mallory\","
                    + "\"candidate\":" + CANDIDATE + "}");
            JsonObject atBob = bob.next("candidate");
            assertEquals("s-alice", atBob.getString("name"));
            assertTrue(!atBob.containsKey("from") && !atBob.containsKey("sender"), atBob::toString);
        }
    }

    @Test
    void targetNameMatchesCaseInsensitively() {
        try (WsClient alice = server.login("Ci-Alice"); WsClient bob = server.login("Ci-Bob")) {
            alice.send("{\"type\":\"offer\",\"name\":\"ci-bob\",\"offer\":" + OFFER + "}");
            assertEquals("Ci-Alice", bob.next("offer").getString("name"));
            bob.send("{\"type\":\"answer\",\"name\":\"CI-ALICE\",\"answer\":" + ANSWER + "}");
            assertEquals("Ci-Bob", alice.nextMatching(m -> m.getString("type").equals("answer")).getString("name"));
        }
    }

    @Test
    void relayBetweenUnpairedUsersIsRefused() {
        try (WsClient alice = server.login("u-alice"); WsClient bob = server.login("u-bob");
             WsClient eve = server.login("u-eve")) {
            call(alice, "u-alice", bob, "u-bob");
            eve.send("{\"type\":\"candidate\",\"name\":\"u-bob\",\"candidate\":" + CANDIDATE + "}");
            eve.nextError("not-in-call");
            eve.send("{\"type\":\"answer\",\"name\":\"u-alice\",\"answer\":" + ANSWER + "}");
            eve.nextError("not-in-call");
            bob.sync();
            alice.sync();
            assertEquals(0, bob.pending() + 0, "bob received nothing from eve");
        }
    }

    @Test
    void offerToAnOfflineUserIsRefused() {
        try (WsClient alice = server.login("o-alice")) {
            alice.send("{\"type\":\"offer\",\"name\":\"nobody-here\",\"offer\":" + OFFER + "}");
            JsonObject error = alice.nextError("no-such-user");
            assertTrue(error.getString("message").contains("nobody-here"), error::toString);
        }
    }

    @Test
    void offerToYourselfIsRefused() {
        try (WsClient alice = server.login("self-alice")) {
            alice.send("{\"type\":\"offer\",\"name\":\"self-alice\",\"offer\":" + OFFER + "}");
            alice.nextError("invalid-message");
        }
    }

    @Test
    void renegotiationOfferKeepsThePairing() {
        try (WsClient alice = server.login("re-alice"); WsClient bob = server.login("re-bob")) {
            call(alice, "re-alice", bob, "re-bob");
            call(alice, "re-alice", bob, "re-bob");
            bob.send("{\"type\":\"answer\",\"name\":\"re-alice\",\"answer\":" + ANSWER + "}");
            assertEquals("re-bob", alice.nextMatching(m -> m.getString("type").equals("answer")).getString("name"));
            // Either side may renegotiate.
            bob.send("{\"type\":\"offer\",\"name\":\"re-alice\",\"offer\":" + OFFER + "}");
            assertEquals("re-bob", alice.next("offer").getString("name"));
        }
    }

    @Test
    void aUserMayBeInSeveralCallsAtOnce() {
        try (WsClient hub = server.login("m-hub"); WsClient one = server.login("m-one");
             WsClient two = server.login("m-two")) {
            call(hub, "m-hub", one, "m-one");
            call(hub, "m-hub", two, "m-two");
            one.send("{\"type\":\"candidate\",\"name\":\"m-hub\",\"candidate\":" + CANDIDATE + "}");
            two.send("{\"type\":\"candidate\",\"name\":\"m-hub\",\"candidate\":" + CANDIDATE + "}");
            JsonObject first = hub.nextMatching(m -> m.getString("type").equals("candidate"));
            JsonObject second = hub.nextMatching(m -> m.getString("type").equals("candidate"));
            assertEquals(java.util.Set.of("m-one", "m-two"),
                    java.util.Set.of(first.getString("name"), second.getString("name")));
        }
    }
}
