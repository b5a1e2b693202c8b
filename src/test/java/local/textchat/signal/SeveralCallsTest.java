package local.textchat.signal;

import static local.textchat.signal.RelayTest.CANDIDATE;
import static local.textchat.signal.RelayTest.OFFER;
import static local.textchat.signal.RelayTest.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import local.textchat.support.RawClient;
import local.textchat.support.TestServer;
import local.textchat.support.WsClient;

/**
 * PROTOCOL.md, "Calls are pairings": a user may be in several calls at once, up to
 * {@code textchat.maxCallsPerUser} (default 8); each ends on its own.
 */
class SeveralCallsTest {

    private static void candidate(WsClient from, String to) {
        from.send("{\"type\":\"candidate\",\"name\":\"" + to + "\",\"candidate\":" + CANDIDATE + "}");
    }

    private static void assertDeclinedBusy(WsClient caller, String callee) {
        JsonObject decline = caller.nextMatching(m -> m.getString("type").equals("decline"));
        assertEquals(callee, decline.getString("name"), decline::toString);
        assertEquals("busy", decline.getString("reason"), decline::toString);
    }

    @Test
    void leaveEndsOnlyTheCallItNames() {
        try (TestServer server = TestServer.start(); WsClient alice = server.login("sc-alice");
             WsClient bob = server.login("sc-bob"); WsClient carol = server.login("sc-carol")) {
            call(alice, "sc-alice", bob, "sc-bob");
            call(alice, "sc-alice", carol, "sc-carol");

            bob.send("{\"type\":\"leave\",\"name\":\"sc-alice\"}");
            assertEquals("sc-bob", alice.next("leave").getString("name"));
            candidate(alice, "sc-carol");
            assertEquals("sc-alice", carol.next("candidate").getString("name"), "alice and carol go on");
            candidate(carol, "sc-alice");
            assertEquals("sc-carol", alice.next("candidate").getString("name"));
            candidate(alice, "sc-bob");
            alice.nextError("not-in-call");
            carol.sync();
            assertEquals(0, carol.pending(), "carol heard nothing of bob's leave");
        }
    }

    @Test
    void theCalleeMayTakeASecondCallWhileInOne() {
        try (TestServer server = TestServer.start(); WsClient alice = server.login("sc2-alice");
             WsClient bob = server.login("sc2-bob"); WsClient carol = server.login("sc2-carol")) {
            call(bob, "sc2-bob", alice, "sc2-alice");
            call(carol, "sc2-carol", alice, "sc2-alice");
            alice.send("{\"type\":\"decline\",\"name\":\"sc2-carol\"}");
            assertEquals("declined", carol.next("decline").getString("reason"));
            candidate(alice, "sc2-bob");
            assertEquals("sc2-alice", bob.next("candidate").getString("name"), "the decline ended only carol's call");
        }
    }

    @Test
    void anOfferPastTheLimitIsAnsweredBusyByTheServer() {
        int limit = 8; // the default
        List<WsClient> peers = new ArrayList<>();
        try (TestServer server = TestServer.start(); WsClient alice = server.login("lim-alice");
             WsClient ninth = server.login("lim-ninth"); WsClient late = server.login("lim-late")) {
            try {
                for (int i = 0; i < limit; i++) {
                    WsClient peer = server.login("lim-" + i);
                    peers.add(peer);
                    call(alice, "lim-alice", peer, "lim-" + i);
                }
                // alice has her 8 calls: calling a ninth person is busy, and the ninth hears nothing.
                alice.send("{\"type\":\"offer\",\"name\":\"lim-ninth\",\"offer\":" + OFFER + "}");
                assertDeclinedBusy(alice, "lim-ninth");
                assertTrue(typesUntilSynced(ninth).stream().noneMatch("offer"::equals),
                        "the offer past the limit was not relayed");

                // Calling alice now is busy too, and alice hears nothing of it.
                late.send("{\"type\":\"offer\",\"name\":\"lim-alice\",\"offer\":" + OFFER + "}");
                assertDeclinedBusy(late, "lim-alice");
                candidate(late, "lim-alice");
                late.nextError("not-in-call");

                // A renegotiation within one of her calls still passes.
                alice.send("{\"type\":\"offer\",\"name\":\"lim-3\",\"offer\":" + OFFER + "}");
                assertEquals("lim-alice", peers.get(3).next("offer").getString("name"));

                // One call ends: there is room for another.
                peers.get(0).send("{\"type\":\"leave\",\"name\":\"lim-alice\"}");
                alice.next("leave");
                call(late, "lim-late", alice, "lim-alice");
            } finally {
                peers.forEach(WsClient::close);
            }
        }
    }

    @Test
    void theLimitIsASetting() {
        try (TestServer server = TestServer.start(Map.of("textchat.maxCallsPerUser", "1"));
             WsClient alice = server.login("one-alice"); WsClient bob = server.login("one-bob");
             WsClient carol = server.login("one-carol")) {
            call(alice, "one-alice", bob, "one-bob");
            carol.send("{\"type\":\"offer\",\"name\":\"one-alice\",\"offer\":" + OFFER + "}");
            assertDeclinedBusy(carol, "one-alice");
            bob.send("{\"type\":\"leave\",\"name\":\"one-alice\"}");
            alice.next("leave");
            call(carol, "one-carol", alice, "one-alice");
        }
    }

    @Test
    void aDroppedSocketKeepsAllItsCallsForItsResume() {
        try (TestServer server = TestServer.start(); WsClient bob = server.login("dr-bob");
             WsClient carol = server.login("dr-carol");
             RawClient alice = RawClient.connect(server.signalUri(), null)) {
            String token = alice.login("dr-alice").getString("token");
            bob.sync();
            carol.sync();
            alice.send("{\"type\":\"offer\",\"name\":\"dr-bob\",\"offer\":" + OFFER + "}");
            bob.next("offer");
            alice.send("{\"type\":\"offer\",\"name\":\"dr-carol\",\"offer\":" + OFFER + "}");
            carol.next("offer");

            alice.drop();
            try (WsClient back = server.connect()) {
                back.send(Json.createObjectBuilder().add("type", "login").add("name", "dr-alice")
                        .add("token", token).build());
                assertTrue(back.next("login").getBoolean("success"));
                for (WsClient peer : List.of(bob, carol)) {
                    candidate(peer, "dr-alice");
                    back.next("candidate");
                }
                candidate(back, "dr-bob");
                assertEquals("dr-alice", bob.next("candidate").getString("name"));
                candidate(back, "dr-carol");
                assertEquals("dr-alice", carol.next("candidate").getString("name"));
                bob.sync();
                carol.sync();
                assertEquals(0, bob.pending() + carol.pending(), "neither heard leave nor offline");
            }
        }
    }

    /** The types of every frame {@code client} gets before the answer to a ping sent now. */
    private static List<String> typesUntilSynced(WsClient client) {
        client.send("{\"type\":\"ping\",\"id\":\"until-here\"}");
        List<String> types = new ArrayList<>();
        for (JsonObject m = client.next(); !m.getString("type").equals("pong"); m = client.next()) {
            types.add(m.getString("type"));
        }
        return types;
    }
}
