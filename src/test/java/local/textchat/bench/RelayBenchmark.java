package local.textchat.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.json.JsonObject;

import local.textchat.protocol.ClientMessage;
import local.textchat.protocol.Codec;
import local.textchat.protocol.ServerMessage;
import local.textchat.support.TestServer;
import local.textchat.support.WsClient;

/**
 * How fast the real endpoint relays, measured end to end on loopback (not a test: run it with
 * {@code bench/relay.sh}). Each of {@code pairs} callers sends {@code messages} candidates to
 * its callee, each stamped with its send time; the callee records the latency. Then the codec
 * alone: decode of a typical candidate frame and encode of its relay, per second.
 */
public final class RelayBenchmark {

    public static void main(String[] args) throws Exception {
        int pairs = Integer.getInteger("bench.pairs", 20);
        int messages = Integer.getInteger("bench.messages", 5_000);
        System.out.printf("machine: %d cores, %s %s, max heap %d MiB%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20);
        codec();
        relay(pairs, messages, 0); // warm-up
        System.out.println("-- as fast as the callers can send (throughput; latency is queueing time):");
        relay(pairs, messages, 0);
        int rate = Integer.getInteger("bench.pacedRate", 50);
        System.out.println("-- paced at " + rate + " messages/s per caller (latency at a realistic load):");
        relay(pairs, rate * 10, rate);
    }

    private static void codec() {
        String frame = "{\"type\":\"candidate\",\"name\":\"bob\",\"candidate\":{\"candidate\":"
                + "\"candidate:842163049 1 udp 1677729535 127.0.0.1 46154 typ srflx raddr 0.0.0.0 rport 0 generation 0"
                + " ufrag sXP5 network-cost 999\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"usernameFragment\":\"sXP5\"}}";
        long sink = 0;
        for (int round = 0; round < 3; round++) {
            int n = 200_000;
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                ClientMessage.Candidate c = (ClientMessage.Candidate) Codec.decode(frame);
                sink += Codec.encode(new ServerMessage.Candidate("alice", c.candidate())).length();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("codec round %d: %.0f decode+encode per second (%.2f µs each)%n", round, n / seconds,
                    seconds * 1e6 / n);
        }
        if (sink == 42) {
            System.out.println();
        }
    }

    private static void relay(int pairs, int messages, int perSecond) throws Exception {
        try (TestServer server = TestServer.start(Map.of("textchat.rateBurst", "1000000",
                "textchat.ratePerSecond", "1000000", "textchat.sendBacklog", "1000000"))) {
            List<WsClient> callers = new ArrayList<>();
            List<WsClient> callees = new ArrayList<>();
            for (int p = 0; p < pairs; p++) {
                callees.add(server.login("callee-" + p));
                WsClient caller = server.login("caller-" + p);
                caller.send("{\"type\":\"offer\",\"name\":\"callee-" + p + "\",\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}");
                callers.add(caller);
            }
            for (WsClient callee : callees) {
                callee.next("offer");
            }
            long[] latencies = new long[pairs * messages];
            AtomicLong index = new AtomicLong();
            CountDownLatch done = new CountDownLatch(pairs);
            List<Thread> readers = new ArrayList<>();
            for (WsClient callee : callees) {
                Thread reader = new Thread(() -> {
                    for (int i = 0; i < messages; i++) {
                        JsonObject m = callee.next("candidate");
                        long sent = Long.parseLong(m.getJsonObject("candidate").getString("candidate"));
                        latencies[(int) index.getAndIncrement()] = System.nanoTime() - sent;
                    }
                    done.countDown();
                });
                reader.start();
                readers.add(reader);
            }
            long start = System.nanoTime();
            List<Thread> writers = new ArrayList<>();
            for (int p = 0; p < pairs; p++) {
                WsClient caller = callers.get(p);
                String callee = "callee-" + p;
                Thread writer = new Thread(() -> {
                    long begin = System.nanoTime();
                    for (int i = 0; i < messages; i++) {
                        if (perSecond > 0) {
                            long due = begin + i * 1_000_000_000L / perSecond;
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                java.util.concurrent.locks.LockSupport.parkNanos(wait);
                            }
                        }
                        caller.send("{\"type\":\"candidate\",\"name\":\"" + callee + "\",\"candidate\":{\"candidate\":\""
                                + System.nanoTime() + "\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}");
                    }
                });
                writer.start();
                writers.add(writer);
            }
            if (!done.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("relay benchmark did not finish");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Arrays.sort(latencies);
            int n = latencies.length;
            System.out.printf("relay: %d pairs x %d messages = %d relayed in %.2f s: %.0f messages/s; latency p50 %.2f ms,"
                            + " p99 %.2f ms, max %.2f ms%n", pairs, messages, n, seconds, n / seconds,
                    latencies[n / 2] / 1e6, latencies[(int) (n * 0.99)] / 1e6, latencies[n - 1] / 1e6);
            callers.forEach(WsClient::close);
            callees.forEach(WsClient::close);
        }
    }
}
