package local.textchat.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import local.textchat.policy.RateLimiter.Verdict;

class RateLimiterTest {

    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000 * MS;

    @Test
    void theBurstPassesThenTheRateRules() {
        RateLimiter limiter = new RateLimiter(100, 20, 5 * SECOND, 0);
        for (int i = 0; i < 100; i++) {
            assertEquals(Verdict.ALLOW, limiter.check(0));
        }
        assertEquals(Verdict.REFUSE, limiter.check(0));
        assertEquals(Verdict.ALLOW, limiter.check(50 * MS), "one token back after 1/20 s");
        assertEquals(Verdict.REFUSE, limiter.check(51 * MS));
    }

    @Test
    void aClientThatSlowsDownIsForgiven() {
        RateLimiter limiter = new RateLimiter(10, 5, SECOND, 0);
        for (int i = 0; i < 12; i++) {
            limiter.check(0);
        }
        // Quiet for a second: the bucket refills and the abuse clock stops.
        assertEquals(Verdict.ALLOW, limiter.check(SECOND));
        for (int i = 0; i < 10; i++) {
            limiter.check(SECOND + MS);
        }
        assertEquals(Verdict.REFUSE, limiter.check(SECOND + 2 * MS));
        // The abuse clock restarted at that refusal, not at the first flood a second ago.
        for (int i = 0; i < 3; i++) {
            limiter.check(SECOND + 500 * MS);
        }
        assertEquals(Verdict.REFUSE, limiter.check(SECOND + 500 * MS));
    }

    @Test
    void keepingOnFloodingEndsInClose() {
        RateLimiter limiter = new RateLimiter(10, 5, SECOND, 0);
        Verdict last = Verdict.ALLOW;
        for (long t = 0; t <= 2 * SECOND && last != Verdict.CLOSE; t += 5 * MS) {
            last = limiter.check(t);
        }
        assertEquals(Verdict.CLOSE, last);
    }

    @Test
    void sendingAtTheRateIsNeverClosed() {
        RateLimiter limiter = new RateLimiter(100, 20, SECOND, 0);
        for (long t = 0; t < 30 * SECOND; t += 50 * MS) {
            assertEquals(Verdict.ALLOW, limiter.check(t));
        }
    }
}
