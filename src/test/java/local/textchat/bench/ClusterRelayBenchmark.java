package local.textchat.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import jakarta.json.JsonObject;

import local.textchat.support.ClusterServer;
import local.textchat.support.RedisServer;
import local.textchat.support.TestServer;
import local.textchat.support.WsClient;

/**
 * Relay through a cluster against relay on one node, end to end on loopback (not a test: run it
 * with {@code bench/cluster.sh}). Three setups, each with {@code pairs} callers sending
 * {@code messages} candidates to their callees: a single node without Redis; a cluster of two
 * nodes with every pair on the same node (must not touch Redis: same figures as the first); the
 * same cluster with every caller on node one and every callee on node two. Then the same three
 * at a realistic pace, for latency.
 */
public final class ClusterRelayBenchmark {

    private static final Map<String, String> FAST = Map.of("textchat.rateBurst", "1000000",
            "textchat.ratePerSecond", "1000000", "textchat.sendBacklog", "1000000");

    private interface Node {
        WsClient login(String name);
    }

    public static void main(String[] args) throws Exception {
        int pairs = Integer.getInteger("bench.pairs", 20);
        int messages = Integer.getInteger("bench.messages", 5_000);
        int rate = Integer.getInteger("bench.pacedRate", 50);
        int pacedSeconds = Integer.getInteger("bench.pacedSeconds", 5);
        System.out.printf("machine: %d cores, %s %s, max heap %d MiB; redis-server on the same machine%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
        try (TestServer single = TestServer.start(FAST); WsClient pin = single.connect();
             RedisServer redis = RedisServer.start();
             // After the single node's first connection: its settings are read then, and the
             // cluster nodes' start clears the same system properties.
             ClusterServer one = ClusterServer.start(redis.url(), FAST);
             ClusterServer two = ClusterServer.start(redis.url(), FAST)) {
            relay("warm-up", single::login, single::login, pairs, messages, 0);
            relay("warm-up", one::login, two::login, pairs, messages, 0);
            System.out.println("-- as fast as the callers can send (throughput; latency is queueing time):");
            relay("single node, no Redis  ", single::login, single::login, pairs, messages, 0);
            relay("cluster, same node     ", one::login, one::login, pairs, messages, 0);
            relay("cluster, across 2 nodes", one::login, two::login, pairs, messages, 0);
            System.out.println("-- paced at " + rate + " messages/s per caller (latency at a realistic load):");
            for (int round = Integer.getInteger("bench.pacedRounds", 1); round > 0; round--) {
                relay("single node, no Redis  ", single::login, single::login, pairs, rate * pacedSeconds, rate);
                relay("cluster, same node     ", one::login, one::login, pairs, rate * pacedSeconds, rate);
                relay("cluster, across 2 nodes", one::login, two::login, pairs, rate * pacedSeconds, rate);
            }
            redisCost(redis);
        }
    }

    /** What the relays across nodes cost Redis itself, from its own accounting. */
    private static void redisCost(RedisServer redis) throws Exception {
        Process cli = new ProcessBuilder("redis-cli", "-p", Integer.toString(redis.port()), "INFO", "commandstats")
                .redirectErrorStream(true).start();
        String stats = new String(cli.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        cli.waitFor();
        stats.lines().filter(l -> l.startsWith("cmdstat_publish") || l.startsWith("cmdstat_eval"))
                .forEach(l -> System.out.println("redis " + l));
    }

    private static final AtomicInteger RUN = new AtomicInteger();

    private static void relay(String label, Node callerNode, Node calleeNode, int pairs, int messages, int perSecond)
            throws Exception {
        int run = RUN.incrementAndGet();
        List<WsClient> callers = new ArrayList<>();
        List<WsClient> callees = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            String callee = "callee-" + run + "-" + p;
            callees.add(calleeNode.login(callee));
            WsClient caller = callerNode.login("caller-" + run + "-" + p);
            caller.send("{\"type\":\"offer\",\"name\":\"" + callee + "\",\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}");
            callers.add(caller);
        }
        for (WsClient callee : callees) {
            callee.next("offer");
        }
        long[] latencies = new long[pairs * messages];
        AtomicInteger index = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(pairs);
        for (WsClient callee : callees) {
            new Thread(() -> {
                for (int i = 0; i < messages; i++) {
                    JsonObject m = callee.next("candidate");
                    long sent = Long.parseLong(m.getJsonObject("candidate").getString("candidate"));
                    latencies[index.getAndIncrement()] = System.nanoTime() - sent;
                }
                done.countDown();
            }).start();
        }
        long start = System.nanoTime();
        for (int p = 0; p < pairs; p++) {
            WsClient caller = callers.get(p);
            String callee = "callee-" + run + "-" + p;
            new Thread(() -> {
                long begin = System.nanoTime();
                for (int i = 0; i < messages; i++) {
                    if (perSecond > 0) {
                        long wait = begin + i * 1_000_000_000L / perSecond - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                    }
                    caller.send("{\"type\":\"candidate\",\"name\":\"" + callee + "\",\"candidate\":{\"candidate\":\""
                            + System.nanoTime() + "\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}");
                }
            }).start();
        }
        if (!done.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("relay benchmark did not finish");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        int n = latencies.length;
        System.out.printf("%s: %d pairs x %d = %d relayed in %.2f s: %.0f messages/s; latency p50 %.2f ms, p99 %.2f ms,"
                        + " max %.2f ms%n", label, pairs, messages, n, seconds, n / seconds, latencies[n / 2] / 1e6,
                latencies[(int) (n * 0.99)] / 1e6, latencies[n - 1] / 1e6);
        callers.forEach(WsClient::close);
        callees.forEach(WsClient::close);
        Thread.sleep(500);
    }
}
