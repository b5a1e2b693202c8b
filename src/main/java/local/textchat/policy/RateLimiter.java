package local.textchat.policy;

/**
 * A token bucket for one socket: {@code burst} messages at once, refilled at {@code perSecond}.
 * A socket that keeps pressing against the limit for {@code abuseNanos} is told to go.
 *
 * <p>"Keeps pressing" means: it has been refused, and since then it has never slowed down
 * enough to have a whole token to spare. A client that bursts once (say 30 ICE candidates)
 * and then behaves is forgiven as soon as its bucket refills.
 *
 * <p>One socket's messages arrive one at a time, so this needs no synchronisation.
 */
public final class RateLimiter {

    /** What to do with one incoming message. */
    public enum Verdict { ALLOW, REFUSE, CLOSE }

    private final double burst;
    private final double perNano;
    private final long abuseNanos;
    private double tokens;
    private long last;
    private long overSince = -1;

    public RateLimiter(int burst, double perSecond, long abuseNanos, long now) {
        this.burst = burst;
        this.perNano = perSecond / 1e9;
        this.abuseNanos = abuseNanos;
        this.tokens = burst;
        this.last = now;
    }

    /** The verdict on a message arriving at {@code now} (System.nanoTime()). */
    public Verdict check(long now) {
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            if (tokens >= 1) {
                overSince = -1;
            }
            return Verdict.ALLOW;
        }
        if (overSince < 0) {
            overSince = now;
        }
        return now - overSince >= abuseNanos ? Verdict.CLOSE : Verdict.REFUSE;
    }
}
