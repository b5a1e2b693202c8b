package local.textchat.app;

import java.lang.System.Logger.Level;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import local.textchat.cluster.Cluster;
import local.textchat.config.Settings;
import local.textchat.metrics.Metrics;
import local.textchat.registry.Registry;
import local.textchat.registry.Users;
import local.textchat.signal.Switchboard;

/**
 * One deployment of textchat, put together in one place: settings, then this node's users and
 * registry (in memory, or joined to a cluster), then the switchboard that applies the protocol's
 * rules over them, on one timer thread. Built once per deployment: by {@code web.WebAppListener}
 * in a servlet container (and in {@code mvn tyrus:run}, which runs the listener too), or by a test
 * straight from a {@link Settings} value. {@link #close} undoes all of it.
 */
public final class App implements AutoCloseable {

    /** The servlet context attribute under which the web application keeps its App. */
    public static final String ATTRIBUTE = App.class.getName();

    private static final System.Logger LOG = System.getLogger(App.class.getName());

    /** Where this deployment's users live. */
    public enum RegistryKind {
        /** The container's {@code @ApplicationScoped} bean (Payara, WildFly). */
        CDI,
        /** A plain instance: there is no CDI (Tomcat, Tyrus). */
        PLAIN,
        /** Shared with the other nodes of a cluster through Redis. */
        CLUSTER
    }

    private final Settings settings;
    private final ScheduledThreadPoolExecutor timers;
    private final Registry registry;
    private final RegistryKind kind;
    private final Switchboard switchboard;
    private final Metrics metrics;
    private final AtomicBoolean closed = new AtomicBoolean();

    private App(Settings settings, ScheduledThreadPoolExecutor timers, Registry registry, RegistryKind kind,
                Metrics metrics) {
        this.settings = settings;
        this.timers = timers;
        this.registry = registry;
        this.kind = kind;
        this.metrics = metrics;
        this.switchboard = new Switchboard(registry, settings, timers, metrics);
        var names = registry.names();
        metrics.gauges(registry::size, switchboard::openSockets, switchboard::backlog,
                names.shared() ? () -> names.reachable() ? 1 : 0 : null);
    }

    /** Put the application together from {@code settings} and start it (a cluster node joins its cluster). */
    public static App start(Settings settings) {
        var cdiUsers = ContainerBeans.find(Users.class);
        Users users = cdiUsers.orElseGet(Users::new);
        RegistryKind kind = settings.cluster() != null ? RegistryKind.CLUSTER
                : cdiUsers.isPresent() ? RegistryKind.CDI : RegistryKind.PLAIN;
        Metrics metrics = new Metrics();
        Registry registry = settings.cluster() != null
                ? Cluster.join(settings.cluster(), users, settings.maxUsers(), metrics)
                : Registry.local(users, settings.maxUsers());
        App app = new App(settings, timers(), registry, kind, metrics);
        LOG.log(Level.INFO, "textchat signaling ready: registry {0}, max message {1} bytes, {2} ICE server(s), "
                        + "{3} TURN URL(s) with minted credentials, ICE transport policy {4}",
                kind.name().toLowerCase(java.util.Locale.ROOT), settings.maxMessageBytes(),
                settings.iceServers().size(), settings.turnUrls().size(), settings.iceTransportPolicy());
        return app;
    }

    /**
     * The application's one timer thread: grace-period expiries, heartbeat sweeps, close waits. A
     * plain daemon thread because Tomcat has no managed executor; {@link #close} stops it, so an
     * undeploy leaves no thread behind.
     */
    private static ScheduledThreadPoolExecutor timers() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "textchat-timers");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    public Settings settings() {
        return settings;
    }

    public Registry registry() {
        return registry;
    }

    public RegistryKind registryKind() {
        return kind;
    }

    public Switchboard switchboard() {
        return switchboard;
    }

    /** What {@code /metrics} shows. */
    public Metrics metrics() {
        return metrics;
    }

    /**
     * Stop: every socket is closed with 1001, every name freed (a cluster node leaves), the timer
     * thread ends. Once; later calls do nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        switchboard.shutdown();
        timers.shutdownNow();
        try {
            timers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
