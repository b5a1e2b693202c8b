package local.textchat.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import local.textchat.support.RawClient;
import local.textchat.support.TestServer;
import local.textchat.support.WsClient;

/**
 * Clients in pairs, each pair calling over and over until time is up: both connect and log in,
 * one offers, the other answers (or declines), both trickle candidates, one hangs up, both go.
 * A quarter of the sockets are raw ones that go by vanishing without a close handshake; some of
 * those vanish mid-call (the peer must hear {@code leave} once the grace period is over) and some
 * come straight back with their resume token and carry on with the call.
 */
final class Churn {

    private static final Set<String> PRESENCE = Set.of("online", "offline");

    final LongAdder calls = new LongAdder();
    final LongAdder sockets = new LongAdder();
    final LongAdder logins = new LongAdder();
    final LongAdder relayed = new LongAdder();
    final LongAdder drops = new LongAdder();
    final LongAdder resumes = new LongAdder();
    final LongAdder lateResumes = new LongAdder();
    final LongAdder cleanCloses = new LongAdder();
    private final TestServer server;
    private final Duration grace;

    private Churn(TestServer server, Duration grace) {
        this.server = server;
        this.grace = grace;
    }

    /**
     * {@code clients} clients churning for {@code duration} on a server with the given resume
     * grace period; fails on the first thing that goes wrong.
     */
    static Churn run(TestServer server, Duration grace, int clients, Duration duration, long seed) throws Exception {
        Churn churn = new Churn(server, grace);
        long deadline = System.nanoTime() + duration.toNanos();
        int pairs = clients / 2;
        ExecutorService pool = Executors.newFixedThreadPool(pairs);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int p = 0; p < pairs; p++) {
                int pair = p;
                SplittableRandom random = new SplittableRandom(seed + p);
                workers.add(pool.submit(() -> {
                    for (int round = 0; System.nanoTime() < deadline; round++) {
                        churn.call(pair, round, random);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS), "churn workers did not stop");
        }
        return churn;
    }

    private enum Ending { HANG_UP, DECLINE, CALLER_VANISHES, CALLER_RESUMES }

    private void call(int pair, int round, SplittableRandom random) {
        String callerName = "c" + pair + "-" + round;
        String calleeName = "e" + pair + "-" + round;
        Ending ending = Ending.values()[random.nextInt(Ending.values().length)];
        boolean rawCaller = ending == Ending.CALLER_VANISHES || ending == Ending.CALLER_RESUMES
                || random.nextInt(4) == 0;
        Peer callee = connect(random.nextInt(4) == 0);
        Peer caller = connect(rawCaller);
        try {
            callee.login(calleeName);
            String token = caller.login(callerName);
            caller.send(offer(calleeName, pair, round));
            JsonObject offer = callee.next("offer");
            assertEquals(callerName, offer.getString("name"));
            assertEquals(sdp(pair, round), offer.getJsonObject("offer").getString("sdp"));
            relayed.increment();
            if (ending == Ending.DECLINE) {
                callee.send("{\"type\":\"decline\",\"name\":\"" + callerName + "\",\"reason\":\"busy\"}");
                assertEquals("busy", caller.next("decline").getString("reason"));
                relayed.increment();
                return;
            }
            callee.send("{\"type\":\"answer\",\"name\":\"" + callerName + "\",\"answer\":{\"type\":\"answer\","
                    + "\"sdp\":\"v=0\"}}");
            assertEquals(calleeName, caller.next("answer").getString("name"));
            relayed.increment();
            trickle(caller, calleeName, callee, 2 + random.nextInt(6));
            trickle(callee, callerName, caller, 2 + random.nextInt(6));
            if (ending == Ending.CALLER_VANISHES) {
                caller.end();
                caller = null;
                assertEquals(callerName, callee.next("leave").getString("name"));
                relayed.increment();
                return;
            }
            if (ending == Ending.CALLER_RESUMES) {
                long dropped = System.nanoTime();
                caller.end();
                caller = connect(false);
                String resumed = caller.login(callerName, token);
                assertTrue(resumed != null && !resumed.equals(token), "the resume token must rotate");
                if (System.nanoTime() - dropped < grace.toNanos()) {
                    // Back within the grace period (counted from before the drop, so surely): the call goes on.
                    resumes.increment();
                    trickle(caller, calleeName, callee, 1);
                } else {
                    // A loaded machine took longer than the grace period: the call may be over already.
                    lateResumes.increment();
                    return;
                }
            }
            caller.send("{\"type\":\"leave\",\"name\":\"" + calleeName + "\"}");
            assertEquals(callerName, callee.next("leave").getString("name"));
            relayed.increment();
        } finally {
            calls.increment();
            if (caller != null) {
                caller.end();
            }
            callee.end();
        }
    }

    /** {@code count} candidates and an end-of-candidates from one side, each relayed to the other. */
    private void trickle(Peer from, String to, Peer receiver, int count) {
        for (int i = 0; i < count; i++) {
            from.send("{\"type\":\"candidate\",\"name\":\"" + to + "\",\"candidate\":{\"candidate\":\"candidate:" + i
                    + " 1 udp 2122260223 127.0.0.1 5" + i + "000 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}");
        }
        from.send("{\"type\":\"candidate\",\"name\":\"" + to + "\",\"candidate\":null}");
        for (int i = 0; i < count; i++) {
            String line = receiver.next("candidate").getJsonObject("candidate").getString("candidate");
            assertTrue(line.startsWith("candidate:" + i + " "), line);
            relayed.increment();
        }
        assertTrue(receiver.next("candidate").isNull("candidate"), "end-of-candidates must arrive last");
        relayed.increment();
    }

    private static String offer(String callee, int pair, int round) {
        return Json.createObjectBuilder().add("type", "offer").add("name", callee)
                .add("offer", Json.createObjectBuilder().add("type", "offer").add("sdp", sdp(pair, round)))
                .build().toString();
    }

    private static String sdp(int pair, int round) {
        return "v=0\r\no=- " + pair + " " + round + " IN IP4 127.0.0.1\r\n";
    }

    private Peer connect(boolean raw) {
        sockets.increment();
        return raw ? new RawPeer(RawClient.connect(server.signalUri(), null)) : new WsPeer(server.connect());
    }

    /** One side of a call; messages from other users' presence are skipped. */
    private abstract class Peer {
        abstract void send(String text);

        abstract JsonObject nextAny();

        abstract void end();

        JsonObject next(String type) {
            JsonObject m = nextAny();
            while (PRESENCE.contains(m.getString("type", ""))) {
                m = nextAny();
            }
            JsonObject got = m;
            assertEquals(type, got.getString("type", ""), () -> "expected " + type + ", got " + got);
            return got;
        }

        /** Log in; returns the resume token. */
        String login(String name) {
            return login(name, null);
        }

        String login(String name, String token) {
            var login = Json.createObjectBuilder().add("type", "login").add("name", name);
            if (token != null) {
                login.add("token", token);
            }
            send(login.build().toString());
            JsonObject reply = next("login");
            assertTrue(reply.getBoolean("success"), () -> "login as " + name + " failed: " + reply);
            logins.increment();
            return reply.getString("token");
        }
    }

    private final class WsPeer extends Peer {
        private final WsClient client;

        WsPeer(WsClient client) {
            this.client = client;
        }

        @Override
        void send(String text) {
            client.send(text);
        }

        @Override
        JsonObject nextAny() {
            return client.next();
        }

        @Override
        void end() {
            client.close();
            cleanCloses.increment();
        }
    }

    private final class RawPeer extends Peer {
        private final RawClient client;

        RawPeer(RawClient client) {
            this.client = client;
        }

        @Override
        void send(String text) {
            client.send(text);
        }

        @Override
        JsonObject nextAny() {
            return client.nextText();
        }

        @Override
        void end() {
            client.drop();
            drops.increment();
        }
    }
}
