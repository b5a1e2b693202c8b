package local.textchat.fuzz;

import static local.textchat.fuzz.Gen.weight;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import local.textchat.support.TestServer;

/**
 * The live endpoint under random frame sequences: five sockets on one server, some logged in
 * under a small pool of clashing names, sending valid and broken frames, relays to random names,
 * binary and oversized frames, vanishing without a close handshake, closing cleanly, resuming,
 * taking each other's names over with a token ({@link Fleet} checks each answer). After every
 * round a newcomer is still served; after the last, with every socket gone, the registry is
 * empty: a newcomer sees no users.
 *
 * <p>Rate limits are lifted here (the flood at the defaults is {@link FloodFuzzTest}), and the
 * grace period is one second so that dropped names free quickly. {@code -Dfuzz.rounds=N} for long
 * runs; a failure names its seed (replay with {@code -Dfuzz.seed=N}: the rounds before it matter,
 * since the server carries their state) and the steps that led to it.
 */
class EndpointFuzzTest {

    private static final int SOCKETS = 5;
    private static final int GRACE_SECONDS = 1;
    /** Low, so that five sockets reach it: an offer past it is answered busy. */
    private static final int MAX_CALLS = 2;
    /** Names that clash: case twins, NFC twins, and two that are no name at all. */
    private static final List<String> POOL = List.of("ann", "Ann", "bob", "BOB", "cy", "dee", "e\u0301", "\u00e9",
            "中文", " ann", "");

    private TestServer server;
    private Fleet fleet;
    private long started;

    @BeforeEach
    void start() {
        server = TestServer.start(Map.of("textchat.rateBurst", "1000000", "textchat.ratePerSecond", "1000000",
                "textchat.resumeGraceSeconds", String.valueOf(GRACE_SECONDS),
                "textchat.maxCallsPerUser", String.valueOf(MAX_CALLS)));
        fleet = new Fleet(server, SOCKETS, GRACE_SECONDS, MAX_CALLS);
        started = System.nanoTime();
    }

    @AfterEach
    void everyoneGoneLeavesNoUserBehind() {
        try {
            Set<String> left = fleet.leaveAndLookAround((GRACE_SECONDS + 10) * 1000L);
            System.out.printf("endpoint fuzz: %.1f s (seed %d), %s; users left after all sockets closed: %s%n",
                    (System.nanoTime() - started) / 1e9, Fuzz.SEED, fleet.counts(), left);
            assertEquals(Set.of(), left, "users still registered after every socket went away");
        } finally {
            fleet.close();
            server.close();
        }
    }

    @Test
    void randomFrameSequencesOnFiveSockets() {
        Fuzz.run("randomFrameSequencesOnFiveSockets", 100, "fuzz.rounds", rounds(), round -> {
            for (Step step : round) {
                fleet.apply(step);
            }
            fleet.settle();
        });
    }

    private static Gen<List<Step>> rounds() {
        Gen<Integer> slot = Gen.ints(0, SOCKETS - 1);
        Gen<String> frames = Gen.frequency(
                weight(8, pooledMessages()),
                weight(2, Frames.ANY.mutatedMessages()),
                weight(1, Frames.VALID.validMessages()),
                weight(1, Frames.ANY.randomJson()),
                weight(1, Frames.ANY.garbled()),
                weight(1, Frames.ANY.truncated()),
                weight(1, Frames.ANY.deeplyNested()))
                // A client cannot put an unpaired surrogate on the wire: UTF-8 has no form for it.
                .map(Frames::wellFormed);
        Gen<Step> step = Gen.frequency(
                weight(120, Gen.combine(slot, frames, Step.Text::new)),
                weight(4, Gen.combine(slot, Gen.ints(0, 2000), Step.Binary::new)),
                weight(1, Gen.combine(slot, Gen.ints(64 * 1024 + 1, 150_000),
                        Gen.of(false, false, true), Step.Oversized::new)),
                weight(20, Gen.combine(slot, Gen.of("answer", "candidate", "candidate", "candidate",
                        "end", "decline", "leave"), Frames.VALID.texts(), Step.Reply::new)),
                weight(4, Gen.combine(slot, slot, Step.TakeOver::new)),
                weight(3, slot.map(Step.ConnectRaw::new)),
                weight(4, Gen.combine(slot, Gen.of(true, false), Step.Drop::new)),
                weight(2, slot.map(Step.Close::new)));
        // Each round starts with every socket trying to log in, so that there is someone to call.
        Gen<List<Step>> logins = Gen.of(POOL).list(SOCKETS, SOCKETS).map(names -> {
            List<Step> steps = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                steps.add(new Step.Text(i, "{\"type\":\"login\",\"name\":" + Frames.quote(names.get(i)) + "}"));
            }
            return steps;
        });
        return Gen.combine(logins, step.list(20, 60), (first, then) -> {
            List<Step> round = new ArrayList<>(first);
            round.addAll(then);
            return round;
        });
    }

    /** Logins and relays among the pool's names, so that names clash and calls happen. */
    private static Gen<String> pooledMessages() {
        Gen<String> name = Gen.of(POOL).map(Frames::quote);
        Gen<String> sdp = Frames.VALID.texts().map(Frames::quote);
        Gen<String> candidate = Gen.frequency(weight(4, sdp.map(c -> "{\"candidate\":" + c
                + ",\"sdpMid\":\"0\"}")), weight(1, Gen.just("null")));
        return Gen.frequency(
                weight(3, name.map(n -> "{\"type\":\"login\",\"name\":" + n + "}")),
                weight(5, Gen.combine(name, sdp, (n, s) ->
                        "{\"type\":\"offer\",\"name\":" + n + ",\"offer\":{\"type\":\"offer\",\"sdp\":" + s + "}}")),
                weight(3, Gen.combine(name, sdp, (n, s) ->
                        "{\"type\":\"answer\",\"name\":" + n + ",\"answer\":{\"type\":\"answer\",\"sdp\":" + s + "}}")),
                weight(3, Gen.combine(name, candidate, (n, c) ->
                        "{\"type\":\"candidate\",\"name\":" + n + ",\"candidate\":" + c + "}")),
                weight(1, name.map(n -> "{\"type\":\"leave\",\"name\":" + n + "}")),
                weight(1, Gen.combine(name, Gen.of("", ",\"reason\":\"busy\""), (n, r) ->
                        "{\"type\":\"decline\",\"name\":" + n + r + "}")),
                weight(1, Gen.anyInt().map(i -> "{\"type\":\"ping\",\"id\":" + i + "}")));
    }
}
