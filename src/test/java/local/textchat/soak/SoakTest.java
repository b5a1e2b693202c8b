package local.textchat.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import org.junit.jupiter.api.Test;

import local.textchat.support.TestServer;
import local.textchat.support.WsClient;

/**
 * Soak: {@link Churn} on one server for a while (20 s here; {@code -Dsoak.seconds=600} on demand,
 * {@code -Dsoak.clients=N}), then nothing may be left behind: no user in the registry (seen from
 * outside: a newcomer's user list is empty), no extra live threads, no heap growth after GC.
 *
 * <p>The baseline is taken after a short warm-up churn, so that pools, class loading and JIT are
 * already paid for. The heap bound is 20 MB: a leak of whatever the server keeps per socket (a
 * Tyrus session with its buffers, an outbox, a user, a registry entry: several KB) over the
 * thousands of sockets even the CI run opens would exceed it, while GC noise and lazily sized
 * buffers stay well under it. The line printed says how few bytes per socket the bound allows.
 */
class SoakTest {

    private static final int SECONDS = Integer.getInteger("soak.seconds", 20);
    private static final int CLIENTS = Integer.getInteger("soak.clients", 50);
    private static final int GRACE_SECONDS = 1;
    private static final Duration GRACE = Duration.ofSeconds(GRACE_SECONDS);
    private static final long HEAP_GROWTH_BOUND = 20L << 20;
    /** Threads that may legitimately come or go between two quiet moments (JIT, GC, reference handling). */
    private static final int THREAD_SLACK = 3;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    @Test
    void churnLeavesNoUserNoThreadAndNoHeapBehind() throws Exception {
        Map<String, String> settings = Map.of("textchat.resumeGraceSeconds", String.valueOf(GRACE_SECONDS));
        try (TestServer server = TestServer.start(settings)) {
            long seed = Long.getLong("soak.seed", System.nanoTime());
            Churn.run(server, GRACE, CLIENTS, Duration.ofSeconds(3), seed);
            List<String> usersBefore = usersAfterEveryoneLeft(server);
            int threadsBefore = quietThreadCount(Integer.MAX_VALUE);
            long heapBefore = usedHeapAfterGc();
            threads.resetPeakThreadCount();

            long started = System.nanoTime();
            Churn churn = Churn.run(server, GRACE, CLIENTS, Duration.ofSeconds(SECONDS), seed + 1_000_003);
            double seconds = (System.nanoTime() - started) / 1e9;
            int peak = threads.getPeakThreadCount();

            List<String> usersAfter = usersAfterEveryoneLeft(server);
            int threadsAfter = quietThreadCount(threadsBefore + THREAD_SLACK);
            long heapAfter = usedHeapAfterGc();

            System.out.printf("soak: %.1f s, %d clients, seed %d: %,d calls, %,d sockets, %,d logins, %,d relayed "
                            + "messages, %,d abrupt drops, %,d resumes (and %,d after the grace period), %,d clean "
                            + "closes%n", seconds, CLIENTS, seed, churn.calls.sum(), churn.sockets.sum(),
                    churn.logins.sum(), churn.relayed.sum(), churn.drops.sum(), churn.resumes.sum(),
                    churn.lateResumes.sum(), churn.cleanCloses.sum());
            System.out.printf("soak: registry before %d users, after %d users%n", usersBefore.size(),
                    usersAfter.size());
            System.out.printf("soak: live threads before %d, after %d (peak %d, slack %d)%n", threadsBefore,
                    threadsAfter, peak, THREAD_SLACK);
            System.out.printf("soak: used heap after GC before %.1f MB, after %.1f MB (growth %.1f MB; bound %d MB, "
                            + "i.e. %,d bytes per socket opened)%n", mb(heapBefore), mb(heapAfter),
                    mb(heapAfter - heapBefore), HEAP_GROWTH_BOUND >> 20, HEAP_GROWTH_BOUND / churn.sockets.sum());

            assertEquals(List.of(), usersBefore, "users left over from the warm-up");
            assertEquals(List.of(), usersAfter, "users left in the registry after the churn");
            assertTrue(threadsAfter <= threadsBefore + THREAD_SLACK,
                    "live threads grew from " + threadsBefore + " to " + threadsAfter);
            assertTrue(heapAfter - heapBefore < HEAP_GROWTH_BOUND,
                    "used heap after GC grew by " + mb(heapAfter - heapBefore) + " MB");
        }
    }

    /**
     * The users a newcomer is told about once the churn is over, asked until there are none or the
     * grace period of the last dropped sockets has long passed.
     */
    private static List<String> usersAfterEveryoneLeft(TestServer server) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(GRACE_SECONDS + 15L).toNanos();
        for (int probe = 0; ; probe++) {
            try (WsClient client = server.connect()) {
                JsonObject reply = client.login("soak-probe-" + System.nanoTime() + "-" + probe);
                List<String> users = new ArrayList<>();
                reply.getJsonArray("users").forEach(v -> users.add(((JsonString) v).getString()));
                if (users.isEmpty() || System.nanoTime() > deadline) {
                    return users;
                }
            }
            Thread.sleep(250);
        }
    }

    /** The live thread count once it has settled (or fallen to {@code enough}), waiting at most 30 s. */
    private int quietThreadCount(int enough) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int previous = -1;
        int count = threads.getThreadCount();
        // Settled: the same count twice, a second apart. Pools shed idle threads on their own schedule.
        while (System.nanoTime() < deadline && count > enough && count != previous) {
            Thread.sleep(1000);
            previous = count;
            count = threads.getThreadCount();
        }
        return count;
    }

    private long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(250);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
