package local.textchat.signal;

import static local.textchat.signal.RelayTest.CANDIDATE;
import static local.textchat.signal.RelayTest.OFFER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import local.textchat.support.RawClient;
import local.textchat.support.TestServer;
import local.textchat.support.WsClient;

/** PROTOCOL.md, Going away and Resume: a dropped socket's name and calls wait for its token. */
class ResumeTest {

    private static String resume(String name, String token) {
        return Json.createObjectBuilder().add("type", "login").add("name", name).add("token", token).build().toString();
    }

    @Test
    void loginHandsOutAnUnguessableTokenThatRotates() {
        try (TestServer server = TestServer.start(); WsClient alice = server.connect()) {
            String first = alice.login("alice").getString("token");
            assertTrue(first.matches("[A-Za-z0-9_-]{22,}"), first);
            try (WsClient again = server.connect()) {
                again.send(resume("alice", first));
                String second = again.next("login").getString("token");
                assertNotEquals(first, second);
            }
        }
    }

    @Test
    void resumeWithinGraceKeepsNameAndCallAndThePeerSeesNoLeave() {
        try (TestServer server = TestServer.start(); WsClient bob = server.login("bob");
             RawClient alice = RawClient.connect(server.signalUri(), null)) {
            JsonObject login = alice.login("alice");
            String token = login.getString("token");
            bob.next("online");
            alice.send("{\"type\":\"offer\",\"name\":\"bob\",\"offer\":" + OFFER + "}");
            bob.next("offer");

            alice.drop();
            bob.expectSilence(500);
            try (WsClient back = server.connect()) {
                back.send(resume("alice", token));
                JsonObject reply = back.next("login");
                assertTrue(reply.getBoolean("success"), reply::toString);
                assertEquals("alice", reply.getString("name"));
                bob.send("{\"type\":\"candidate\",\"name\":\"alice\",\"candidate\":" + CANDIDATE + "}");
                assertEquals("bob", back.next("candidate").getString("name"));
                bob.sync();
                assertEquals(0, bob.pending(), "bob saw neither leave nor offline");
            }
        }
    }

    @Test
    void aSecondDropAfterAResumeGetsAWholeGracePeriodOfItsOwn() throws InterruptedException {
        // A page reloaded twice in a row: the first drop's grace period must not end the second's.
        try (TestServer server = TestServer.start(Map.of("textchat.resumeGraceSeconds", "3"));
             WsClient bob = server.login("bob"); RawClient alice = RawClient.connect(server.signalUri(), null)) {
            String token = alice.login("alice").getString("token");
            bob.next("online");
            alice.send("{\"type\":\"offer\",\"name\":\"bob\",\"offer\":" + OFFER + "}");
            bob.next("offer");
            long firstDrop = System.nanoTime();
            alice.drop();
            try (RawClient again = RawClient.connect(server.signalUri(), null)) {
                again.send(resume("alice", token));
                JsonObject reply = again.nextText();
                assertEquals("login", reply.getString("type"), reply::toString);
                assertTrue(reply.getBoolean("success"), reply::toString);
                token = reply.getString("token");
                Thread.sleep(1500 - (System.nanoTime() - firstDrop) / 1_000_000);
                again.drop();
            }
            // Past the end of the first grace period (3 s after the first drop), within the second's.
            Thread.sleep(3750 - (System.nanoTime() - firstDrop) / 1_000_000);
            bob.sync();
            assertEquals(0, bob.pending(), "bob saw neither leave nor offline");
            try (WsClient back = server.connect()) {
                back.send(resume("alice", token));
                JsonObject reply = back.next("login");
                assertTrue(reply.getBoolean("success"), "the name was still held: " + reply);
                bob.send("{\"type\":\"candidate\",\"name\":\"alice\",\"candidate\":" + CANDIDATE + "}");
                assertEquals("bob", back.next("candidate").getString("name"), "the call was kept");
            }
        }
    }

    @Test
    void resumeWhileTheOldSocketIsOpenClosesItWith4001() {
        try (TestServer server = TestServer.start(); WsClient bob = server.login("bob");
             WsClient alice = server.connect()) {
            String token = alice.login("alice").getString("token");
            bob.next("online");
            alice.send("{\"type\":\"offer\",\"name\":\"bob\",\"offer\":" + OFFER + "}");
            bob.next("offer");
            try (WsClient second = server.connect()) {
                second.send(resume("ALICE", token));
                assertTrue(second.next("login").getBoolean("success"));
                assertEquals(4001, alice.awaitClose().getCloseCode().getCode());
                bob.expectSilence(300);
                second.send("{\"type\":\"candidate\",\"name\":\"bob\",\"candidate\":null}");
                assertEquals("alice", bob.next("candidate").getString("name"));
            }
        }
    }

    @Test
    void aWrongTokenIsAPlainLogin() {
        try (TestServer server = TestServer.start(); WsClient alice = server.login("alice");
             WsClient mallory = server.connect()) {
            mallory.send(resume("alice", "AAAAAAAAAAAAAAAAAAAAAA"));
            JsonObject reply = mallory.next("login");
            assertFalse(reply.getBoolean("success"));
            assertEquals("taken", reply.getString("reason"));
            assertTrue(alice.isOpen());
        }
    }

    @Test
    void afterTheGracePeriodPeersGetLeaveAndTheNameIsFree() {
        try (TestServer server = TestServer.start(Map.of("textchat.resumeGraceSeconds", "1"));
             WsClient bob = server.login("bob"); RawClient alice = RawClient.connect(server.signalUri(), null)) {
            String token = alice.login("alice").getString("token");
            bob.next("online");
            alice.send("{\"type\":\"offer\",\"name\":\"bob\",\"offer\":" + OFFER + "}");
            bob.next("offer");
            long dropped = System.nanoTime();
            alice.drop();
            assertEquals("alice", bob.next("leave").getString("name"));
            long waitedMs = (System.nanoTime() - dropped) / 1_000_000;
            assertTrue(waitedMs >= 900, "leave came before the grace period ended: " + waitedMs + " ms");
            assertEquals("alice", bob.next("offline").getString("name"));
            try (WsClient late = server.connect()) {
                late.send(resume("alice", token));
                JsonObject reply = late.next("login");
                assertTrue(reply.getBoolean("success"), "the name is free: " + reply);
                bob.send("{\"type\":\"candidate\",\"name\":\"alice\",\"candidate\":null}");
                bob.nextMatching(m -> m.getString("type").equals("error") && m.getString("code").equals("not-in-call"));
            }
        }
    }

    @Test
    void aPageGoingAwayKeepsNameAndCallForItsReloadAndThePeerSeesNoLeave() {
        try (TestServer server = TestServer.start(); WsClient bob = server.login("bob");
             WsClient alice = server.connect()) {
            String token = alice.login("alice").getString("token");
            bob.next("online");
            alice.send("{\"type\":\"offer\",\"name\":\"bob\",\"offer\":" + OFFER + "}");
            bob.next("offer");

            alice.close(1001, ""); // what a browser sends when its page is reloaded or closed
            bob.expectSilence(500);
            try (WsClient reloaded = server.connect()) {
                reloaded.send(resume("alice", token));
                assertTrue(reloaded.next("login").getBoolean("success"));
                bob.send("{\"type\":\"candidate\",\"name\":\"alice\",\"candidate\":" + CANDIDATE + "}");
                assertEquals("bob", reloaded.next("candidate").getString("name"), "the call was kept");
                bob.sync();
                assertEquals(0, bob.pending(), "bob saw neither leave nor offline");
            }
        }
    }

    @Test
    void aPageThatGoesAwayForGoodIsGoneAfterTheGracePeriod() {
        closeAndExpectLeave(1, 1001, "");
    }

    @ParameterizedTest(name = "closed with {0} \"{1}\"")
    @CsvSource({"1000, ''", "1011, ''", "1011, send failed"})
    void aClientsOwnCloseWithAnyCodeBut1001ReleasesAtOnce(int code, String reason) {
        // Well within the 30 s grace period: nothing is held for these, whatever the reason phrase
        // (the server's own 1011 after a failed send is a drop; a client's is not).
        closeAndExpectLeave(30, code, reason);
    }

    /** alice, in a call with bob, closes her socket with {@code code}: bob is told leave, then offline. */
    private static void closeAndExpectLeave(int graceSeconds, int code, String reason) {
        try (TestServer server = TestServer.start(Map.of("textchat.resumeGraceSeconds", String.valueOf(graceSeconds)));
             WsClient bob = server.login("bob"); WsClient alice = server.connect()) {
            alice.login("alice");
            bob.next("online");
            alice.send("{\"type\":\"offer\",\"name\":\"bob\",\"offer\":" + OFFER + "}");
            bob.next("offer");
            alice.close(code, reason);
            assertEquals("alice", bob.next("leave").getString("name"));
            assertEquals("alice", bob.next("offline").getString("name"));
        }
    }
}
