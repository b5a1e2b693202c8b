package local.textchat.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import local.textchat.support.TestServer;
import local.textchat.support.WsClient;

/** Many sockets at once: one winner per name, no lost or interleaved frames. */
class ConcurrencyTest {

    private TestServer server;
    private ExecutorService pool;

    @BeforeEach
    void start() {
        // One receiver is in a call with every sender: more than the default 8 calls a user may have.
        server = TestServer.start(Map.of("textchat.maxCallsPerUser", "64"));
        pool = Executors.newFixedThreadPool(32);
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
        server.close();
    }

    private <T> List<T> all(List<Callable<T>> tasks) throws Exception {
        List<T> results = new ArrayList<>();
        for (Future<T> f : pool.invokeAll(tasks)) {
            results.add(f.get());
        }
        return results;
    }

    @Test
    void fiftySocketsRacingForOneNameHaveExactlyOneWinner() throws Exception {
        List<WsClient> clients = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            clients.add(server.connect());
        }
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Callable<JsonObject>> tasks = new ArrayList<>();
            for (WsClient c : clients) {
                tasks.add(() -> {
                    go.await();
                    c.send("{\"type\":\"login\",\"name\":\"Highlander\"}");
                    return c.next("login");
                });
            }
            List<Future<JsonObject>> futures = new ArrayList<>();
            for (Callable<JsonObject> t : tasks) {
                futures.add(pool.submit(t));
            }
            go.countDown();
            int winners = 0;
            for (Future<JsonObject> f : futures) {
                JsonObject reply = f.get();
                if (reply.getBoolean("success")) {
                    winners++;
                } else {
                    assertEquals("taken", reply.getString("reason"));
                }
            }
            assertEquals(1, winners);
        } finally {
            clients.forEach(WsClient::close);
        }
    }

    @Test
    void fiveHundredSocketsLogInAtOnce() throws Exception {
        List<Callable<WsClient>> tasks = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            String name = "user-" + i;
            tasks.add(() -> server.login(name));
        }
        List<WsClient> clients = all(tasks);
        try {
            try (WsClient last = server.connect()) {
                JsonObject reply = last.login("the-501st");
                assertEquals(500, reply.getJsonArray("users").size());
            }
        } finally {
            clients.forEach(WsClient::close);
        }
    }

    @Test
    void manySendersToOneReceiverLoseNothingAndKeepEachSendersOrder() throws Exception {
        // Each sender stays within the default rate limit's burst (100 messages: its login, the offer,
        // the candidates and a sync), so that this runs unchanged on every deployment, containers included.
        int senders = 30;
        int each = 90;
        try (WsClient receiver = server.login("sink")) {
            List<WsClient> clients = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                WsClient c = server.login("src-" + s);
                c.send("{\"type\":\"offer\",\"name\":\"sink\",\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}");
                clients.add(c);
            }
            try {
                List<Callable<Void>> tasks = new ArrayList<>();
                for (WsClient c : clients) {
                    tasks.add(() -> {
                        for (int n = 0; n < each; n++) {
                            c.send("{\"type\":\"candidate\",\"name\":\"sink\",\"candidate\":{\"candidate\":\"seq " + n
                                    + " " + "x".repeat(300) + "\"}}");
                        }
                        return null;
                    });
                }
                all(tasks);
                Map<String, Integer> nextSeq = new HashMap<>();
                int candidates = 0;
                while (candidates < senders * each) {
                    JsonObject m = receiver.next();
                    if (!m.getString("type").equals("candidate")) {
                        continue;
                    }
                    candidates++;
                    String from = m.getString("name");
                    String line = m.getJsonObject("candidate").getString("candidate");
                    int seq = Integer.parseInt(line.split(" ")[1]);
                    int expected = nextSeq.getOrDefault(from, 0);
                    assertEquals(expected, seq, "frames from " + from + " out of order");
                    nextSeq.put(from, seq + 1);
                }
                assertEquals(senders, nextSeq.size());
                nextSeq.values().forEach(v -> assertEquals(each, v));
                for (WsClient c : clients) {
                    c.sync();
                    assertTrue(c.isOpen());
                }
            } finally {
                clients.forEach(WsClient::close);
            }
        }
    }
}
