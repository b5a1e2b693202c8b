package local.textchat.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The benchmark's load generator (bench/compare.sh runs it; not a test). It speaks the tutorial's
 * wire protocol, which both textchat and the tutorial's own server understand, over a lean
 * WebSocket client of its own ({@link BenchSocket}), and reads the server's CPU time from
 * {@code /proc/<pid>/stat} around each measured interval. One mode per run, one result line ({@code result key=value ...}) at the end.
 *
 * <ul>
 * <li>{@code relay}: {@code pairs} pairs in a call each bounce {@code window} candidates back and
 *     forth for {@code seconds} (closed loop: a candidate is sent on when one arrives), after a
 *     warm-up of the same length: relays per second, server CPU per relay, hop latency.</li>
 * <li>{@code latency}: callers send candidates at a fixed total {@code rate} for {@code seconds}
 *     (open loop, each stamped with its scheduled time, so a stall shows as latency instead of
 *     slowing the schedule): latency percentiles, server CPU per relay.</li>
 * <li>{@code logins}: {@code users} idle users log in and stay; then {@code burst} more log in at
 *     once: how long until every burst login is answered, and the server's memory with everyone
 *     online (RSS; for a JVM also the heap after a full GC, through jcmd).</li>
 * </ul>
 * Arguments are {@code key=value}: {@code url}, {@code pid}, {@code mode}, {@code pairs},
 * {@code window}, {@code seconds}, {@code rate}, {@code users}, {@code burst}, {@code jvm=true},
 * {@code metrics} (textchat's /metrics URL: the logins mode waits for its send backlog to drain).
 */
public final class LoadGenerator {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .executor(Executors.newFixedThreadPool(2, r -> {
                Thread thread = new Thread(r, "loadgen-io");
                thread.setDaemon(true);
                return thread;
            })).build();
    private static final String CANDIDATE_LINE = "candidate:842163049 1 udp 1677729535 127.0.0.1 46154 typ host "
            + "generation 0 ufrag sXP5 network-cost 999";

    private final URI url;
    private final long pid;
    private final Map<String, String> args;

    private LoadGenerator(Map<String, String> args) {
        this.args = args;
        this.url = URI.create(args.get("url"));
        this.pid = Long.parseLong(args.get("pid"));
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new ConcurrentHashMap<>();
        for (String arg : argv) {
            int eq = arg.indexOf('=');
            args.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        LoadGenerator generator = new LoadGenerator(args);
        String result = switch (args.get("mode")) {
            case "relay" -> generator.relay(generator.intArg("pairs", 50), generator.intArg("window", 4),
                    generator.intArg("seconds", 10));
            case "latency" -> generator.latency(generator.intArg("pairs", 50), generator.intArg("rate", 5000),
                    generator.intArg("seconds", 10));
            case "logins" -> generator.logins(generator.intArg("users", 20_000), generator.intArg("burst", 1000));
            default -> throw new IllegalArgumentException("mode must be relay, latency or logins");
        };
        System.out.println("result " + result);
        System.exit(0);
    }

    private int intArg(String key, int fallback) {
        return args.containsKey(key) ? Integer.parseInt(args.get(key)) : fallback;
    }

    // ---------------------------------------------------------------- modes

    private String relay(int pairs, int window, int seconds) throws Exception {
        AtomicLong relays = new AtomicLong();
        Recorder hops = new Recorder();
        List<Pair> all = pairs(pairs, "r", (pair, frame, atCallee) -> {
            relays.incrementAndGet();
            hops.record(System.nanoTime() - number(frame, "\"t\":"));
            // Send it back, newly stamped: a closed loop with `window` in flight per pair.
            (atCallee ? pair.callee : pair.caller).send(candidate(pair, !atCallee));
        });
        for (Pair pair : all) {
            for (int i = 0; i < window; i++) {
                pair.caller.send(candidate(pair, true));
            }
        }
        Thread.sleep(seconds * 1000L); // warm-up: JIT, buffers
        hops.reset();
        long cpu0 = cpuTicks();
        long n0 = relays.get();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long n = relays.get() - n0;
        double elapsed = (System.nanoTime() - t0) / 1e9;
        double cpuSeconds = (cpuTicks() - cpu0) / (double) CLK_TCK;
        return String.format("mode=relay pairs=%d window=%d relays_per_s=%.0f server_cpu_us_per_relay=%.2f "
                        + "server_cpu_cores=%.2f %s", pairs, window, n / elapsed, cpuSeconds * 1e6 / n,
                cpuSeconds / elapsed, hops.summary("hop"));
    }

    private String latency(int pairs, int rate, int seconds) throws Exception {
        Recorder latencies = new Recorder();
        AtomicLong received = new AtomicLong();
        List<Pair> all = pairs(pairs, "l", (pair, frame, atCallee) -> {
            received.incrementAndGet();
            latencies.record(System.nanoTime() - number(frame, "\"t\":"));
        });
        // Warm-up at the same rate, then measure.
        schedule(all, rate, seconds);
        Thread.sleep(500);
        latencies.reset();
        long cpu0 = cpuTicks();
        long r0 = received.get();
        long t0 = System.nanoTime();
        long sent = schedule(all, rate, seconds);
        long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (received.get() - r0 < sent && System.nanoTime() < drainUntil) {
            Thread.sleep(10);
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long got = received.get() - r0;
        double cpuSeconds = (cpuTicks() - cpu0) / (double) CLK_TCK;
        return String.format("mode=latency pairs=%d rate=%d sent=%d received=%d server_cpu_us_per_relay=%.2f %s",
                pairs, rate, sent, got, cpuSeconds * 1e6 / Math.max(1, got), latencies.summary("latency"));
    }

    /** Send candidates from the callers, round robin, at {@code rate} per second, each stamped with its scheduled time. */
    private static long schedule(List<Pair> all, int rate, int seconds) {
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long count = (long) rate * seconds;
        for (long i = 0; i < count; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            Pair pair = all.get((int) (i % all.size()));
            pair.caller.send(candidate(pair, true, due));
        }
        return count;
    }

    private String logins(int users, int burst) throws Exception {
        Memory before = memory();
        List<Peer> idle = new ArrayList<>(users);
        long t0 = System.nanoTime();
        Semaphore inFlight = new Semaphore(200);
        CountDownLatch loggedIn = new CountDownLatch(users);
        for (int i = 0; i < users; i++) {
            inFlight.acquire();
            Peer peer = Peer.open(url, frame -> {
            });
            peer.onLogin = ok -> {
                inFlight.release();
                loggedIn.countDown();
            };
            peer.send("{\"type\":\"login\",\"name\":\"idle" + i + "\"}");
            idle.add(peer);
        }
        if (!loggedIn.await(600, TimeUnit.SECONDS)) {
            throw new IllegalStateException("only " + (users - loggedIn.getCount()) + " of " + users + " logged in");
        }
        double rampSeconds = (System.nanoTime() - t0) / 1e9;
        double drainSeconds = drain();
        Memory idleMemory = memory();

        // The burst: open the sockets first, then send every login at once.
        List<Peer> storm = new ArrayList<>(burst);
        for (int i = 0; i < burst; i++) {
            storm.add(Peer.open(url, frame -> {
            }));
        }
        CountDownLatch answered = new CountDownLatch(burst);
        AtomicInteger refused = new AtomicInteger();
        AtomicLong lastTotal = new AtomicLong(-1);
        for (Peer peer : storm) {
            peer.onLogin = frame -> {
                if (!frame.contains("\"success\":true")) {
                    refused.incrementAndGet();
                }
                long total = number(frame, "\"usersTotal\":");
                lastTotal.accumulateAndGet(total, Math::max);
                answered.countDown();
            };
        }
        long cpu0 = cpuTicks();
        long b0 = System.nanoTime();
        for (int i = 0; i < burst; i++) {
            storm.get(i).send("{\"type\":\"login\",\"name\":\"burst" + i + "\"}");
        }
        boolean all = answered.await(120, TimeUnit.SECONDS);
        double burstSeconds = (System.nanoTime() - b0) / 1e9;
        double burstCpu = (cpuTicks() - cpu0) / (double) CLK_TCK;
        // Presence after the storm: a new login must count everyone (textchat's usersTotal; the tutorial has none).
        Thread.sleep(1000);
        CompletableFuture<String> check = new CompletableFuture<>();
        Peer checker = Peer.open(url, frame -> {
        });
        checker.onLogin = check::complete;
        checker.send("{\"type\":\"login\",\"name\":\"zz-check\"}");
        String reply = check.get(30, TimeUnit.SECONDS);
        long seen = number(reply, "\"usersTotal\":");
        drain();
        Memory after = memory();
        return String.format("mode=logins users=%d ramp_s=%.1f drain_s=%.1f burst=%d burst_answered=%s burst_s=%.2f "
                        + "burst_refused=%d burst_server_cpu_s=%.2f users_total_after=%s "
                        + "rss_mib_before=%.1f rss_mib_idle=%.1f rss_mib_after=%.1f heap_mib_before=%s "
                        + "heap_mib_idle=%s rss_kib_per_user=%.1f heap_kib_per_user=%s",
                users, rampSeconds, drainSeconds, burst, all ? "all" : String.valueOf(burst - answered.getCount()), burstSeconds,
                refused.get(), burstCpu, seen < 0 ? "n/a" : String.valueOf(seen), before.rssMiB, idleMemory.rssMiB,
                after.rssMiB, before.heap(), idleMemory.heap(), (idleMemory.rssMiB - before.rssMiB) * 1024 / users,
                before.heapMiB < 0 ? "n/a" : String.format("%.1f", (idleMemory.heapMiB - before.heapMiB) * 1024 / users));
    }

    /**
     * Wait until the server has written every presence message it queued (textchat: its
     * {@code /metrics} send backlog is 0; with no {@code metrics} argument, two seconds), so that
     * memory is measured with nothing in flight. Returns how long that took.
     */
    private double drain() throws Exception {
        long start = System.nanoTime();
        String metrics = args.get("metrics");
        if (metrics == null) {
            Thread.sleep(2000);
        } else {
            var request = java.net.http.HttpRequest.newBuilder(URI.create(metrics)).build();
            long deadline = start + TimeUnit.SECONDS.toNanos(300);
            while (System.nanoTime() < deadline) {
                String body = HTTP.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                if (body.contains("\ntextchat_send_backlog_messages 0.0\n")) {
                    break;
                }
                Thread.sleep(200);
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    // ---------------------------------------------------------------- pairs

    /** What a pair does with a candidate {@code frame} that arrived at its callee ({@code atCallee}) or caller. */
    private interface OnCandidate {
        void arrived(Pair pair, String frame, boolean atCallee);
    }

    private static final class Pair {
        final String callerName;
        final String calleeName;
        Peer caller;
        Peer callee;

        Pair(String callerName, String calleeName) {
            this.callerName = callerName;
            this.calleeName = calleeName;
        }
    }

    /**
     * {@code count} pairs logged in and in a call (offer and answer relayed), the same on both
     * servers; each candidate that arrives is handed to {@code onCandidate}.
     */
    private List<Pair> pairs(int count, String prefix, OnCandidate onCandidate) throws Exception {
        List<Pair> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Pair pair = new Pair(prefix + "a" + i, prefix + "b" + i);
            CompletableFuture<Void> offered = new CompletableFuture<>();
            CompletableFuture<Void> answered = new CompletableFuture<>();
            pair.caller = Peer.open(url, frame -> {
                if (frame.startsWith("{\"type\":\"candidate\"")) {
                    onCandidate.arrived(pair, frame, false);
                } else if (frame.contains("\"type\":\"answer\"")) {
                    answered.complete(null);
                }
            });
            pair.callee = Peer.open(url, frame -> {
                if (frame.startsWith("{\"type\":\"candidate\"")) {
                    onCandidate.arrived(pair, frame, true);
                } else if (frame.contains("\"type\":\"offer\"")) {
                    offered.complete(null);
                }
            });
            login(pair.caller, pair.callerName);
            login(pair.callee, pair.calleeName);
            pair.caller.send("{\"type\":\"offer\",\"name\":\"" + pair.calleeName
                    + "\",\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}}");
            offered.get(10, TimeUnit.SECONDS);
            pair.callee.send("{\"type\":\"answer\",\"name\":\"" + pair.callerName
                    + "\",\"answer\":{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}}");
            answered.get(10, TimeUnit.SECONDS);
            all.add(pair);
        }
        return all;
    }

    private static void login(Peer peer, String name) throws Exception {
        CompletableFuture<String> reply = new CompletableFuture<>();
        peer.onLogin = reply::complete;
        peer.send("{\"type\":\"login\",\"name\":\"" + name + "\"}");
        String frame = reply.get(30, TimeUnit.SECONDS);
        if (!frame.contains("\"success\":true")) {
            throw new IllegalStateException("login as " + name + " refused: " + frame);
        }
    }

    private static String candidate(Pair pair, boolean toCallee) {
        return candidate(pair, toCallee, System.nanoTime());
    }

    /** A realistic candidate (about 230 bytes), stamped with {@code nanos} in an extra field both servers pass on. */
    private static String candidate(Pair pair, boolean toCallee, long nanos) {
        return "{\"type\":\"candidate\",\"name\":\"" + (toCallee ? pair.calleeName : pair.callerName)
                + "\",\"candidate\":{\"candidate\":\"" + CANDIDATE_LINE
                + "\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"usernameFragment\":\"sXP5\",\"t\":" + nanos + "}}";
    }

    private static long number(String frame, String key) {
        int at = frame.indexOf(key);
        if (at < 0) {
            return -1;
        }
        int i = at + key.length();
        long value = 0;
        while (i < frame.length() && Character.isDigit(frame.charAt(i))) {
            value = value * 10 + (frame.charAt(i++) - '0');
        }
        return value;
    }

    // ---------------------------------------------------------------- one socket

    /** One WebSocket ({@link BenchSocket}): login replies to {@code onLogin}, every other text frame to a handler. */
    private static final class Peer {
        private BenchSocket socket;
        volatile Consumer<String> onLogin = frame -> { };

        static Peer open(URI url, Consumer<String> onFrame) throws IOException {
            Peer peer = new Peer();
            peer.socket = BenchSocket.open(url, frame -> {
                if (frame.startsWith("{\"type\":\"login\"")) {
                    peer.onLogin.accept(frame);
                } else {
                    onFrame.accept(frame);
                }
            });
            return peer;
        }

        void send(String frame) {
            socket.send(frame);
        }
    }

    // ---------------------------------------------------------------- measuring

    /** Latencies in nanoseconds; percentiles from a sorted copy. */
    private static final class Recorder {
        private long[] values = new long[1 << 16];
        private int size;

        synchronized void record(long nanos) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = nanos;
        }

        synchronized void reset() {
            size = 0;
        }

        synchronized String summary(String name) {
            long[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            return String.format("%s_p50_ms=%.3f %s_p99_ms=%.3f %s_p999_ms=%.3f %s_max_ms=%.3f", name,
                    at(sorted, 0.50), name, at(sorted, 0.99), name, at(sorted, 0.999), name,
                    sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
        }

        private static double at(long[] sorted, double q) {
            return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, q * sorted.length)] / 1e6;
        }
    }

    /** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on Linux). */
    private static final long CLK_TCK = 100;

    /** The server's user + system CPU time so far, in clock ticks. */
    private long cpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private record Memory(double rssMiB, double heapMiB) {
        String heap() {
            return heapMiB < 0 ? "n/a" : String.format("%.1f", heapMiB);
        }
    }

    /** The server's resident set, and for a JVM its heap in use right after a full GC. */
    private Memory memory() throws Exception {
        double heap = -1;
        if (Boolean.parseBoolean(args.getOrDefault("jvm", "false"))) {
            run("jcmd", String.valueOf(pid), "GC.run");
            String info = run("jcmd", String.valueOf(pid), "GC.heap_info");
            var matcher = java.util.regex.Pattern.compile("used (\\d+)K").matcher(info);
            if (matcher.find()) {
                heap = Long.parseLong(matcher.group(1)) / 1024.0;
            }
        }
        double rss = -1;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return new Memory(rss, heap);
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        process.waitFor(60, TimeUnit.SECONDS);
        return out;
    }
}
