package local.textchat.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import local.textchat.app.App;
import local.textchat.browser.WebappServer;
import local.textchat.config.Settings;
import local.textchat.support.MetricsExercise;
import local.textchat.support.MetricsScrape;
import local.textchat.support.RedisServer;
import local.textchat.support.WsClient;

/**
 * {@code /metrics} as {@code mvn tyrus:run} serves it (the plugin's dev server running the web
 * application's servlets): Prometheus text that promtool accepts, counting what the socket did;
 * off with {@code textchat.metrics=false}, behind a bearer token with {@code textchat.metricsToken};
 * in a cluster, the store's reachability and the messages between the nodes.
 */
class MetricsServletTest {

    private final java.util.List<AutoCloseable> started = new java.util.ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    private WebappServer serve(Map<String, String> values) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of("textchat.iceServers", "[]"));
        settings.putAll(values);
        WebappServer server = WebappServer.start(App.start(Settings.of(settings)));
        started.add(server);
        return server;
    }

    private static URI signal(WebappServer server) {
        return URI.create(server.page().toString().replace("http:", "ws:") + "signal");
    }

    @Test
    void countsWhatTheSocketDidInTextThatPromtoolAccepts() throws Exception {
        WebappServer server = serve(Map.of());
        MetricsExercise.run(server.page(), signal(server), null, "metrics");
    }

    @Test
    void aScrapeOfAFreshApplicationListsEveryMetricWithItsHelp() throws Exception {
        WebappServer server = serve(Map.of());
        MetricsScrape scrape = MetricsExercise.scrape(server.page(), null);
        for (String name : new String[] {"textchat_users_online", "textchat_sockets_open",
                "textchat_send_backlog_messages", "textchat_logins_total", "textchat_relays_total",
                "textchat_errors_total", "textchat_policy_closes_total", "textchat_cluster_messages_total",
                "textchat_relay_latency_seconds"}) {
            assertTrue(scrape.body().contains("# HELP " + name + " "), () -> name + " missing:\n" + scrape.body());
        }
        assertEquals(0.0, scrape.value("textchat_users_online"));
        assertFalse(scrape.body().contains("textchat_cluster_store_up"), "a single node has no store");
    }

    @Test
    void offItAnswers404() throws Exception {
        WebappServer server = serve(Map.of(Settings.METRICS, "false"));
        assertEquals(404, MetricsScrape.of(server.page(), null).status());
    }

    @Test
    void withATokenOnlyAScrapeThatSendsItIsAnswered() throws Exception {
        WebappServer server = serve(Map.of(Settings.METRICS_TOKEN, "s3cret-scrape"));
        assertEquals(401, MetricsScrape.of(server.page(), null).status());
        assertEquals(401, MetricsScrape.of(server.page(), "wrong").status());
        MetricsExercise.run(server.page(), signal(server), "s3cret-scrape", "token");
    }

    @Test
    void aSocketClosedForFloodingIsCountedAsAbuse() throws Exception {
        WebappServer server = serve(Map.of(Settings.RATE_BURST, "5", Settings.RATE_PER_SECOND, "1",
                Settings.ABUSE_SECONDS, "1"));
        MetricsScrape before = MetricsExercise.scrape(server.page(), null);
        try (WsClient flood = WsClient.connect(signal(server))) {
            flood.login("flooder");
            long until = System.nanoTime() + 3_000_000_000L;
            while (flood.isOpen() && System.nanoTime() < until) {
                flood.send("{\"type\":\"who\",\"prefix\":\"\"}");
                Thread.sleep(5);
            }
            assertEquals(1008, flood.awaitClose().getCloseCode().getCode());
        }
        MetricsScrape after = MetricsExercise.scrape(server.page(), null);
        String abuse = "textchat_policy_closes_total{reason=\"abuse\"}";
        assertEquals(1, after.value(abuse) - before.value(abuse), after::body);
        String limited = "textchat_errors_total{code=\"rate-limited\"}";
        assertTrue(after.value(limited) - before.value(limited) >= 1, after::body);
    }

    @Test
    void aClusterNodeShowsItsStoreAndTheMessagesBetweenNodes() throws Exception {
        RedisServer redis = RedisServer.start();
        started.add(redis);
        WebappServer one = serve(Map.of(Settings.REDIS_URL, redis.url()));
        WebappServer two = serve(Map.of(Settings.REDIS_URL, redis.url()));
        MetricsScrape before = MetricsExercise.scrape(one.page(), null);
        assertEquals(1.0, before.value("textchat_cluster_store_up"), before::body);
        try (WsClient alice = WsClient.connect(signal(one)); WsClient bob = WsClient.connect(signal(two))) {
            alice.login("c-alice");
            bob.login("c-bob");
            alice.send("{\"type\":\"offer\",\"name\":\"c-bob\",\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}");
            bob.next("offer");
            MetricsScrape after = MetricsExercise.scrape(one.page(), null);
            MetricsScrape there = MetricsExercise.scrape(two.page(), null);
            String published = "textchat_cluster_messages_total{direction=\"published\"}";
            String received = "textchat_cluster_messages_total{direction=\"received\"}";
            assertTrue(after.value(published) - before.value(published) >= 2, after::body); // joined + relay
            assertTrue(there.value(received) >= 2, there::body);
            assertEquals(1, there.value("textchat_relays_total{type=\"offer\"}"), there::body);
            assertEquals(0, after.value("textchat_relays_total{type=\"offer\"}"), after::body);
        }
        redis.stop();
        long until = System.nanoTime() + 10_000_000_000L;
        MetricsScrape down;
        do {
            Thread.sleep(100);
            down = MetricsExercise.scrape(one.page(), null);
        } while (down.value("textchat_cluster_store_up") != 0.0 && System.nanoTime() < until);
        assertEquals(0.0, down.value("textchat_cluster_store_up"), down.body());
    }
}
