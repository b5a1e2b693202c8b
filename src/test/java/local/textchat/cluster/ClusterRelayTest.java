package local.textchat.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import local.textchat.support.ClusterServer;
import local.textchat.support.RedisServer;
import local.textchat.support.WsClient;

/** PROTOCOL.md's relays between users on two different nodes of a cluster. */
class ClusterRelayTest {

    static final String OFFER = "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n\",\"x-extra\":[1,\"ü\",null]}";
    static final String ANSWER = "{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}";
    static final String CANDIDATE = "{\"candidate\":\"candidate:1 1 udp 2122260223 127.0.0.1 54321 typ host\","
            + "\"sdpMid\":\"0\",\"sdpMLineIndex\":0}";

    private static RedisServer redis;
    private static ClusterServer one;
    private static ClusterServer two;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        one = ClusterServer.start(redis.url());
        two = ClusterServer.start(redis.url());
    }

    @AfterAll
    static void stop() {
        if (one != null) {
            one.close();
        }
        if (two != null) {
            two.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    /** {@code caller} offers to {@code callee}, who receives it unchanged. */
    static void call(WsClient caller, String callerName, WsClient callee, String calleeName) {
        caller.send("{\"type\":\"offer\",\"name\":\"" + calleeName + "\",\"offer\":" + OFFER + "}");
        JsonObject offer = callee.next("offer");
        assertEquals(callerName, offer.getString("name"));
        assertEquals(json(OFFER), offer.getJsonObject("offer"));
    }

    @Test
    void offerAnswerAndCandidatesCrossNodesUnchanged() {
        try (WsClient alice = one.login("r-alice"); WsClient bob = two.login("r-bob")) {
            call(alice, "r-alice", bob, "r-bob");
            bob.send("{\"type\":\"answer\",\"name\":\"r-alice\",\"answer\":" + ANSWER + "}");
            JsonObject answer = alice.next("answer");
            assertEquals("r-bob", answer.getString("name"));
            assertEquals(json(ANSWER), answer.getJsonObject("answer"));
            alice.send("{\"type\":\"candidate\",\"name\":\"r-bob\",\"candidate\":" + CANDIDATE + "}");
            JsonObject atBob = bob.next("candidate");
            assertEquals("r-alice", atBob.getString("name"));
            assertEquals(json(CANDIDATE), atBob.getJsonObject("candidate"));
            bob.send("{\"type\":\"candidate\",\"name\":\"r-alice\",\"candidate\":null}");
            JsonObject atAlice = alice.next("candidate");
            assertEquals("r-bob", atAlice.getString("name"));
            assertEquals(jakarta.json.JsonValue.NULL, atAlice.get("candidate"));
        }
    }

    @Test
    void leaveCrossesNodesAndEndsTheCallOnBothSides() {
        try (WsClient alice = one.login("l-alice"); WsClient bob = two.login("l-bob")) {
            call(alice, "l-alice", bob, "l-bob");
            bob.send("{\"type\":\"leave\",\"name\":\"l-alice\"}");
            assertEquals("l-bob", alice.next("leave").getString("name"));
            alice.send("{\"type\":\"candidate\",\"name\":\"l-bob\",\"candidate\":null}");
            alice.nextError("not-in-call");
            bob.send("{\"type\":\"candidate\",\"name\":\"l-alice\",\"candidate\":null}");
            bob.nextError("not-in-call");
        }
    }

    @Test
    void declineCrossesNodesWithItsReason() {
        try (WsClient alice = one.login("d-alice"); WsClient bob = two.login("d-bob")) {
            call(alice, "d-alice", bob, "d-bob");
            bob.send("{\"type\":\"decline\",\"name\":\"d-alice\",\"reason\":\"busy\"}");
            JsonObject decline = alice.next("decline");
            assertEquals("d-bob", decline.getString("name"));
            assertEquals("busy", decline.getString("reason"));
            alice.send("{\"type\":\"answer\",\"name\":\"d-bob\",\"answer\":" + ANSWER + "}");
            alice.nextError("not-in-call");
        }
    }

    @Test
    void answerWithoutAnOfferIsRefusedAcrossNodes() {
        try (WsClient alice = one.login("n-alice"); WsClient bob = two.login("n-bob")) {
            alice.nextMatching(m -> m.getString("type").equals("online") && m.getString("name").equals("n-bob"));
            bob.send("{\"type\":\"answer\",\"name\":\"n-alice\",\"answer\":" + ANSWER + "}");
            bob.nextError("not-in-call");
            alice.expectSilence(300);
        }
    }

    @Test
    void offerToAUserOnlineNowhereIsNoSuchUser() {
        try (WsClient alice = one.login("o-alice")) {
            alice.send("{\"type\":\"offer\",\"name\":\"o-nobody\",\"offer\":" + OFFER + "}");
            alice.nextError("no-such-user");
        }
    }

    @Test
    void aUserCanBeCalledAsSoonAsTheirLoginOnAnotherNodeIsAnswered() {
        // As on one node: no waiting for the presence broadcast to reach the caller's node.
        try (WsClient alice = one.login("s-alice")) {
            for (int i = 0; i < 20; i++) {
                try (WsClient bob = two.login("s-bob-" + i)) {
                    call(alice, "s-alice", bob, "s-bob-" + i);
                }
            }
        }
    }

    @Test
    void oneSendersMessagesArriveInOrderAcrossNodes() {
        try (WsClient alice = one.login("q-alice"); WsClient bob = two.login("q-bob")) {
            call(alice, "q-alice", bob, "q-bob");
            int n = 80;
            for (int i = 0; i < n; i++) {
                alice.send("{\"type\":\"candidate\",\"name\":\"q-bob\",\"candidate\":{\"candidate\":\"" + i + "\"}}");
            }
            for (int i = 0; i < n; i++) {
                assertEquals(Integer.toString(i), bob.next("candidate").getJsonObject("candidate").getString("candidate"));
            }
        }
    }

    /** PROTOCOL.md, "Calls are pairings": the limit of calls holds whichever node each side is on. */
    @Test
    void anOfferPastTheLimitIsBusyAcrossNodesBothWays() {
        java.util.List<WsClient> peers = new java.util.ArrayList<>();
        try (WsClient alice = one.login("lim-alice"); WsClient bob = two.login("lim-bob");
             WsClient carol = two.login("lim-carol")) {
            try {
                // bob (node two) has 8 calls, half of them with callers on node one.
                for (int i = 0; i < 8; i++) {
                    WsClient peer = (i % 2 == 0 ? one : two).login("lim-b" + i);
                    peers.add(peer);
                    call(peer, "lim-b" + i, bob, "lim-bob");
                }
                alice.send("{\"type\":\"offer\",\"name\":\"lim-bob\",\"offer\":" + OFFER + "}");
                JsonObject busy = alice.nextMatching(m -> m.getString("type").equals("decline"));
                assertEquals("lim-bob", busy.getString("name"));
                assertEquals("busy", busy.getString("reason"));
                // Node one ended its copy of the call: alice is not in a call with bob.
                alice.send("{\"type\":\"candidate\",\"name\":\"lim-bob\",\"candidate\":" + CANDIDATE + "}");
                alice.nextError("not-in-call");

                // The other way: alice (node one) with 8 calls on node two; carol (node two) calls her.
                for (int i = 0; i < 8; i++) {
                    WsClient peer = two.login("lim-a" + i);
                    peers.add(peer);
                    call(alice, "lim-alice", peer, "lim-a" + i);
                }
                carol.send("{\"type\":\"offer\",\"name\":\"lim-alice\",\"offer\":" + OFFER + "}");
                busy = carol.nextMatching(m -> m.getString("type").equals("decline"));
                assertEquals("lim-alice", busy.getString("name"));
                assertEquals("busy", busy.getString("reason"));
                carol.send("{\"type\":\"candidate\",\"name\":\"lim-alice\",\"candidate\":" + CANDIDATE + "}");
                carol.nextError("not-in-call");

                // One of bob's calls ends: alice (node one) may call him.
                peers.get(0).send("{\"type\":\"leave\",\"name\":\"lim-bob\"}");
                bob.next("leave");
                peers.get(8).send("{\"type\":\"leave\",\"name\":\"lim-alice\"}");
                alice.nextMatching(m -> m.getString("type").equals("leave"));
                call(alice, "lim-alice", bob, "lim-bob");
            } finally {
                peers.forEach(WsClient::close);
            }
        }
    }
}
