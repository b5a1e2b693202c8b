package local.textchat.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import local.textchat.protocol.ErrorCode;
import local.textchat.protocol.LoginRefusal;
import local.textchat.protocol.Relay;

/**
 * What an operator graphs, through the Prometheus Java client: one registry per application
 * (never the JVM-wide default, so that two deployments or two test servers in one JVM count
 * apart), written in the Prometheus text format at {@code /metrics}. The hot path (every relay)
 * only increments a counter resolved once and records one latency.
 */
public final class Metrics {

    /** Why the server closed a socket of its own accord. */
    public enum Close {
        /** Kept flooding past the rate limit for {@code textchat.abuseSeconds}. */
        ABUSE,
        /** Let {@code textchat.sendBacklog} messages pile up unread. */
        SLOW_RECEIVER,
        /** Answered no ping for {@code textchat.idleTimeoutSeconds}. */
        IDLE,
        /** Sent a frame over {@code textchat.maxMessageBytes}, or a binary one. */
        TOO_BIG,
        /** Opened from an Origin that is not allowed (where the container upgrades before the filter can refuse). */
        ORIGIN,
        /** One address too many, past {@code textchat.maxSocketsPerAddress}. */
        ADDRESS_CAP;

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** The content type of {@link #write}. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private static final double[] LATENCY_BOUNDS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
            0.1, 0.25, 0.5, 1, 2.5};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter logins = Counter.builder().name("textchat_logins_total")
            .help("Logins answered, by result: accepted, resumed, or why refused").labelNames("result").register(registry);
    private final Counter relays = Counter.builder().name("textchat_relays_total")
            .help("Messages relayed to a user of this node, by type").labelNames("type").register(registry);
    private final Counter errors = Counter.builder().name("textchat_errors_total")
            .help("Error replies sent, by code").labelNames("code").register(registry);
    private final Counter closes = Counter.builder().name("textchat_policy_closes_total")
            .help("Sockets the server closed for a reason of its own, by reason")
            .labelNames("reason").register(registry);
    private final Counter clusterMessages = Counter.builder().name("textchat_cluster_messages_total")
            .help("Messages between the nodes of a cluster, by direction: published, received")
            .labelNames("direction").register(registry);
    private final Histogram relayLatency = Histogram.builder().name("textchat_relay_latency_seconds")
            .help("From a relayed frame's arrival to its send to the receiver completing, on this node")
            .classicOnly().classicUpperBounds(LATENCY_BOUNDS).register(registry);
    private final Map<Relay.Kind, CounterDataPoint> relaysByKind = new EnumMap<>(Relay.Kind.class);
    private final Map<ErrorCode, CounterDataPoint> errorsByCode = new EnumMap<>(ErrorCode.class);
    private final Map<LoginRefusal, CounterDataPoint> refusals = new EnumMap<>(LoginRefusal.class);
    private final Map<Close, CounterDataPoint> closesByReason = new EnumMap<>(Close.class);
    private final CounterDataPoint accepted = logins.labelValues("accepted");
    private final CounterDataPoint resumed = logins.labelValues("resumed");
    private final CounterDataPoint published = clusterMessages.labelValues("published");
    private final CounterDataPoint received = clusterMessages.labelValues("received");

    /** Every series exists from the start (at 0), so that a graph or an alert never waits for a first event. */
    public Metrics() {
        for (Relay.Kind kind : Relay.Kind.values()) {
            relaysByKind.put(kind, relays.labelValues(kind.name().toLowerCase(Locale.ROOT)));
        }
        for (ErrorCode code : ErrorCode.values()) {
            errorsByCode.put(code, errors.labelValues(code.wire()));
        }
        for (LoginRefusal reason : LoginRefusal.values()) {
            refusals.put(reason, logins.labelValues(reason.wire()));
        }
        for (Close reason : Close.values()) {
            closesByReason.put(reason, closes.labelValues(reason.label()));
        }
    }

    /**
     * The gauges read when scraped: users online ({@code users}), open sockets ({@code sockets}),
     * messages waiting for slow receivers ({@code backlog}), and in a cluster whether this node
     * reaches the shared store ({@code storeUp}, null on a single node).
     */
    public void gauges(DoubleSupplier users, DoubleSupplier sockets, DoubleSupplier backlog, DoubleSupplier storeUp) {
        gauge("textchat_users_online", "Names held (in a cluster: cluster-wide, as this node knows it)", users);
        gauge("textchat_sockets_open", "Open signaling sockets on this node, logged in or not", sockets);
        gauge("textchat_send_backlog_messages", "Messages queued for sockets on this node, not yet written", backlog);
        if (storeUp != null) {
            gauge("textchat_cluster_store_up", "1 while this node reaches the cluster's shared store (Redis), else 0",
                    storeUp);
        }
    }

    private void gauge(String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble())).register(registry);
    }

    /** A login claimed a free name. */
    public void accepted() {
        accepted.inc();
    }

    /** A login took its name back with the resume token. */
    public void resumed() {
        resumed.inc();
    }

    /** A login was refused for {@code reason}. */
    public void refused(LoginRefusal reason) {
        refusals.get(reason).inc();
    }

    /** A relayed message was handed to a user of this node. */
    public void relayed(Relay.Kind kind) {
        relaysByKind.get(kind).inc();
    }

    /** An error reply was sent (rate-limited ones included). */
    public void error(ErrorCode code) {
        errorsByCode.get(code).inc();
    }

    /** The server closed a socket for {@code reason}. */
    public void closed(Close reason) {
        closesByReason.get(reason).inc();
    }

    /** A message went to, or came from, another node of the cluster. */
    public void cluster(boolean publishedHere) {
        (publishedHere ? published : received).inc();
    }

    /** A relayed frame that arrived {@code nanos} ago has been written to its receiver. */
    public void relayLatency(long nanos) {
        relayLatency.observe(nanos / 1e9);
    }

    /** Everything, in the Prometheus text format. */
    public void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }
}
