package local.textchat.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;

import jakarta.json.JsonObject;

/**
 * What {@code /metrics} must show of a known sequence on the socket, wherever the application runs:
 * every scrape is valid Prometheus text ({@code promtool check metrics}), and counters and gauges
 * move by exactly what the sequence did (deltas, so an application that served other tests first
 * is checked the same way).
 */
public final class MetricsExercise {

    static final String OFFER = "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}";
    static final String ANSWER = "{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}";

    private MetricsExercise() {
    }

    /**
     * On the application at {@code base} (socket at {@code signal}; {@code token} for
     * {@code /metrics}, or null): two logins and a taken name, a call (offer, answer, candidate,
     * leave) and a candidate outside any call; each scrape is checked.
     */
    public static void run(URI base, URI signal, String token, String prefix) {
        MetricsScrape before = scrape(base, token);
        String alice = prefix + "-alice";
        String bob = prefix + "-bob";
        try (WsClient a = WsClient.connect(signal); WsClient b = WsClient.connect(signal);
             WsClient twin = WsClient.connect(signal)) {
            assertTrue(a.login(alice).getBoolean("success"));
            assertTrue(b.login(bob).getBoolean("success"));
            twin.send("{\"type\":\"login\",\"name\":\"" + alice + "\"}");
            JsonObject taken = twin.next("login");
            assertFalse(taken.getBoolean("success"));
            assertEquals("taken", taken.getString("reason"));

            a.send("{\"type\":\"offer\",\"name\":\"" + bob + "\",\"offer\":" + OFFER + "}");
            b.next("offer");
            b.send("{\"type\":\"answer\",\"name\":\"" + alice + "\",\"answer\":" + ANSWER + "}");
            a.nextMatching(m -> m.getString("type").equals("answer"));
            a.send("{\"type\":\"candidate\",\"name\":\"" + bob + "\",\"candidate\":null}");
            b.next("candidate");
            a.sync();
            b.sync();

            MetricsScrape during = scrape(base, token);
            assertEquals(2, delta(before, during, "textchat_users_online"), during::body);
            assertEquals(3, delta(before, during, "textchat_sockets_open"), during::body);
            assertEquals(2, delta(before, during, "textchat_logins_total{result=\"accepted\"}"), during::body);
            assertEquals(1, delta(before, during, "textchat_logins_total{result=\"taken\"}"), during::body);
            assertEquals(1, delta(before, during, "textchat_relays_total{type=\"offer\"}"), during::body);
            assertEquals(1, delta(before, during, "textchat_relays_total{type=\"answer\"}"), during::body);
            assertEquals(1, delta(before, during, "textchat_relays_total{type=\"candidate\"}"), during::body);
            assertEquals(3, delta(before, during, "textchat_relay_latency_seconds_count"), during::body);
            assertTrue(during.value("textchat_relay_latency_seconds_sum") > 0, during::body);

            a.send("{\"type\":\"leave\",\"name\":\"" + bob + "\"}");
            b.next("leave");
            a.send("{\"type\":\"candidate\",\"name\":\"" + bob + "\",\"candidate\":null}");
            a.nextError("not-in-call");

            MetricsScrape after = scrape(base, token);
            assertEquals(1, delta(before, after, "textchat_relays_total{type=\"leave\"}"), after::body);
            assertEquals(1, delta(before, after, "textchat_errors_total{code=\"not-in-call\"}"), after::body);
            assertEquals(0, delta(before, after, "textchat_errors_total{code=\"invalid-message\"}"), after::body);
        }
    }

    /** A scrape that answered 200 in the Prometheus text format and that promtool accepts. */
    public static MetricsScrape scrape(URI base, String token) {
        MetricsScrape scrape = MetricsScrape.of(base, token);
        assertEquals(200, scrape.status(), scrape::body);
        // Some containers drop the blanks between the parameters (Tomcat: text/plain;version=0.0.4;charset=utf-8).
        assertTrue(scrape.contentType().replace(" ", "").startsWith("text/plain;version=0.0.4"), scrape::contentType);
        scrape.assertValid();
        return scrape;
    }

    private static double delta(MetricsScrape before, MetricsScrape after, String series) {
        return after.value(series) - before.value(series);
    }
}
