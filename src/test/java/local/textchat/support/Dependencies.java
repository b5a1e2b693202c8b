package local.textchat.support;

import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when something it needs from the machine (a browser, redis-server, coturn,
 * a loopback-only network) is missing: under {@code CI=true} it fails, elsewhere it is skipped
 * with the reason, so that a developer without the tool can still run the rest.
 */
public final class Dependencies {

    private Dependencies() {
    }

    /** Fail (CI) or skip (elsewhere) unless {@code present}, saying {@code problem}. */
    public static void require(boolean present, String problem) {
        if (present) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true: " + problem);
        }
        Assumptions.abort(problem);
    }
}
