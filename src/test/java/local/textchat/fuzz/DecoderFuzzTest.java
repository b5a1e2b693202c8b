package local.textchat.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import local.textchat.protocol.Codec;

/**
 * Property-based fuzzing of {@link Codec#decode}: whatever text a socket delivers, the decoder
 * returns a usable message or a documented {@code ProtocolViolation}, never anything else (see
 * {@link DecodeOracle}). 105,000 cases in CI; {@code -Dfuzz.tries=N} runs each property N times,
 * {@code -Dfuzz.seed=N} replays a run ({@link Fuzz}).
 *
 * <p>Each property also names the outcomes its generator is meant to reach, and fails if one was
 * never reached, so that a generator that silently degenerates does not pass as fuzzing.
 */
class DecoderFuzzTest {

    private static final Map<String, Long> TOTALS = new TreeMap<>();
    private static long totalNanos;

    @AfterAll
    static void report() {
        long cases = TOTALS.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("decoder fuzz: %,d cases in total in %.1f s (seed %d), invariants held; outcomes %s%n",
                cases, totalNanos / 1e9, Fuzz.SEED, TOTALS);
    }

    /**
     * Runs {@code tries} frames of {@code frames} through the oracle, counting the outcomes, and
     * fails if one of {@code aims} (outcomes this property must reach) was never reached; if
     * {@code mustDecode}, also as soon as a frame is refused.
     */
    private static void property(String name, int tries, Gen<String> frames, boolean mustDecode, String... aims) {
        Map<String, Integer> outcomes = new TreeMap<>();
        long started = System.nanoTime();
        Fuzz.run(name, tries, "fuzz.tries", frames, frame -> {
            String outcome = DecodeOracle.verdict(frame);
            assertTrue(!mustDecode || Frames.TYPES.contains(outcome), () -> "a valid message was refused as "
                    + outcome);
            outcomes.merge(outcome, 1, Integer::sum);
        });
        long nanos = System.nanoTime() - started;
        int cases = outcomes.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("decoder fuzz: %s: %,d cases in %.1f s: %s%n", name, cases, nanos / 1e9, outcomes);
        synchronized (TOTALS) {
            outcomes.forEach((outcome, n) -> TOTALS.merge(outcome, (long) n, Long::sum));
            totalNanos += nanos;
        }
        Set<String> missed = new TreeSet<>(Set.of(aims));
        missed.removeAll(outcomes.keySet());
        assertTrue(missed.isEmpty(), () -> name + ": the generator never reached " + missed + "; reached " + outcomes
                + " (seed " + Fuzz.SEED + ")");
    }

    @Test
    void validMessagesDecodeToExactlyWhatWasSent() {
        property("validMessagesDecodeToExactlyWhatWasSent", 10_000, Frames.VALID.validMessages(), true,
                Frames.TYPES.toArray(String[]::new));
    }

    @Test
    void randomJson() {
        property("randomJson", 25_000, Frames.ANY.randomJson(), false, "bad-json", "invalid-message", "unknown-type",
                "ping");
    }

    @Test
    void mutatedMessagesOfEveryType() {
        property("mutatedMessagesOfEveryType", 30_000, Frames.ANY.mutatedMessages(), false, "bad-json",
                "invalid-message", "unknown-type", "login", "offer", "answer", "candidate", "leave", "decline", "ping");
    }

    @Test
    void deepNesting() {
        property("deepNesting", 5_000, Frames.ANY.deeplyNested(), false, "bad-json", "ping", "offer");
    }

    @Test
    void garbledUtf8() {
        property("garbledUtf8", 15_000, Frames.ANY.garbled(), false, "bad-json", "login");
    }

    @Test
    void truncatedFrames() {
        property("truncatedFrames", 20_000, Frames.ANY.truncated(), false, "bad-json", "invalid-message", "ping");
    }
}
