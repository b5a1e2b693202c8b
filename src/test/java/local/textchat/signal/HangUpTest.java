package local.textchat.signal;

import static local.textchat.signal.RelayTest.ANSWER;
import static local.textchat.signal.RelayTest.CANDIDATE;
import static local.textchat.signal.RelayTest.call;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import local.textchat.support.WithServer;
import local.textchat.support.WsClient;

/** PROTOCOL.md: leave and decline end a pairing; so does either side going away. */
class HangUpTest extends WithServer {


    @Test
    void leaveTellsThePeerAndEndsThePairing() {
        try (WsClient alice = server.login("l-alice"); WsClient bob = server.login("l-bob")) {
            call(alice, "l-alice", bob, "l-bob");
            alice.send("{\"type\":\"leave\",\"name\":\"l-bob\"}");
            assertEquals("l-alice", bob.next("leave").getString("name"));
            bob.send("{\"type\":\"candidate\",\"name\":\"l-alice\",\"candidate\":" + CANDIDATE + "}");
            bob.nextError("not-in-call");
            alice.send("{\"type\":\"leave\",\"name\":\"l-bob\"}");
            alice.nextMatching(m -> m.getString("type").equals("error") && m.getString("code").equals("not-in-call"));
        }
    }

    @Test
    void leaveWithoutACallIsRefused() {
        try (WsClient alice = server.login("lw-alice"); WsClient bob = server.login("lw-bob")) {
            alice.next("online");
            alice.send("{\"type\":\"leave\",\"name\":\"lw-bob\"}");
            alice.nextError("not-in-call");
            bob.sync();
            assertEquals(0, bob.pending());
        }
    }

    @Test
    void declineTellsTheCallerWithTheReason() {
        try (WsClient alice = server.login("d-alice"); WsClient bob = server.login("d-bob")) {
            call(alice, "d-alice", bob, "d-bob");
            bob.send("{\"type\":\"decline\",\"name\":\"d-alice\"}");
            JsonObject decline = alice.nextMatching(m -> m.getString("type").equals("decline"));
            assertEquals("d-bob", decline.getString("name"));
            assertEquals("declined", decline.getString("reason"));
            // The pairing is gone: an answer now is refused.
            bob.send("{\"type\":\"answer\",\"name\":\"d-alice\",\"answer\":" + ANSWER + "}");
            bob.nextError("not-in-call");
        }
    }

    @Test
    void declineAsBusy() {
        try (WsClient alice = server.login("b-alice"); WsClient bob = server.login("b-bob")) {
            call(alice, "b-alice", bob, "b-bob");
            bob.send("{\"type\":\"decline\",\"name\":\"b-alice\",\"reason\":\"busy\"}");
            JsonObject decline = alice.nextMatching(m -> m.getString("type").equals("decline"));
            assertEquals("busy", decline.getString("reason"));
        }
    }

    @Test
    void declineWithAnUnknownReasonIsInvalid() {
        try (WsClient alice = server.login("dr-alice"); WsClient bob = server.login("dr-bob")) {
            call(alice, "dr-alice", bob, "dr-bob");
            bob.send("{\"type\":\"decline\",\"name\":\"dr-alice\",\"reason\":\"whatever\"}");
            bob.nextError("invalid-message");
        }
    }

    @Test
    void declineWithoutAnOfferIsRefused() {
        try (WsClient alice = server.login("dn-alice"); WsClient bob = server.login("dn-bob")) {
            alice.next("online");
            bob.send("{\"type\":\"decline\",\"name\":\"dn-alice\"}");
            bob.nextError("not-in-call");
        }
    }

    @Test
    void closingASocketTellsEveryPeerAndFreesTheName() {
        try (WsClient hub = server.login("x-hub"); WsClient one = server.login("x-one");
             WsClient two = server.login("x-two")) {
            call(hub, "x-hub", one, "x-one");
            call(hub, "x-hub", two, "x-two");
            hub.close();
            assertEquals("x-hub", one.nextMatching(m -> m.getString("type").equals("leave")).getString("name"));
            assertEquals("x-hub", two.nextMatching(m -> m.getString("type").equals("leave")).getString("name"));
            one.nextMatching(m -> m.getString("type").equals("offline") && m.getString("name").equals("x-hub"));
            // The name is free, and the newcomer inherits none of the old pairings.
            try (WsClient newcomer = server.login("x-hub")) {
                one.send("{\"type\":\"candidate\",\"name\":\"x-hub\",\"candidate\":" + CANDIDATE + "}");
                one.nextMatching(m -> m.getString("type").equals("error") && m.getString("code").equals("not-in-call"));
                newcomer.sync();
                assertEquals(0, newcomer.pending());
            }
        }
    }

    @Test
    void afterHangingUpTheyCanCallAgain() {
        try (WsClient alice = server.login("ag-alice"); WsClient bob = server.login("ag-bob")) {
            call(alice, "ag-alice", bob, "ag-bob");
            bob.send("{\"type\":\"leave\",\"name\":\"ag-alice\"}");
            alice.nextMatching(m -> m.getString("type").equals("leave"));
            call(alice, "ag-alice", bob, "ag-bob");
            bob.send("{\"type\":\"answer\",\"name\":\"ag-alice\",\"answer\":" + ANSWER + "}");
            assertEquals(Set.of("answer"), Set.of(alice.nextMatching(m -> m.getString("type").equals("answer"))
                    .getString("type")));
        }
    }
}
