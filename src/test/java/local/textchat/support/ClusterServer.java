package local.textchat.support;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import org.glassfish.tyrus.server.Server;

import local.textchat.app.App;
import local.textchat.cluster.ClusterNode;
import local.textchat.config.Settings;
import local.textchat.signal.Switchboard;

/**
 * One node of a cluster in the test JVM: the real endpoint on its own Tyrus server at 127.0.0.1,
 * serving its own {@link App} joined to the cluster through {@code redisUrl}. Several can run at
 * once, each built from exactly its own settings.
 */
public final class ClusterServer implements AutoCloseable {

    private final Server server;
    private final App app;
    private boolean closed;

    private ClusterServer(Server server, App app) {
        this.server = server;
        this.app = app;
    }

    /** A node of the cluster at {@code redisUrl}, with {@code settings} over the defaults (no ICE servers). */
    public static ClusterServer start(String redisUrl, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>();
        all.put("textchat.iceServers", "[]");
        all.put("textchat.redisUrl", redisUrl);
        all.putAll(settings);
        App app = App.start(Settings.of(all));
        return new ClusterServer(TyrusTarget.startServer(app), app);
    }

    public static ClusterServer start(String redisUrl) {
        return start(redisUrl, Map.of());
    }

    /** This node's id in the cluster. */
    public String id() {
        return ((ClusterNode) app.registry().names()).id();
    }

    public Switchboard switchboard() {
        return app.switchboard();
    }

    public int port() {
        return server.getPort();
    }

    public URI signalUri() {
        return URI.create("ws://127.0.0.1:" + port() + "/textchat/signal");
    }

    public WsClient connect() {
        return WsClient.connect(signalUri());
    }

    /** A new client logged in as {@code name} (the reply checked and consumed). */
    public WsClient login(String name) {
        WsClient client = connect();
        client.login(name);
        return client;
    }

    /** Shut down cleanly, as an undeploy would: sockets get 1001, the node leaves the cluster. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            app.close();
            server.stop();
        }
    }
}
