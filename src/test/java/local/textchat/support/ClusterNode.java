package local.textchat.support;

import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.glassfish.tyrus.server.Server;

import local.textchat.registry.ClusterRegistry;
import local.textchat.signal.SignalConfigurator;
import local.textchat.signal.SignalEndpoint;
import local.textchat.signal.Switchboard;

/**
 * One node of a cluster in the test JVM: the real endpoint on its own Tyrus server at 127.0.0.1,
 * with its own registry joined to the cluster through {@code redisUrl}. Several can run at once:
 * each is started with its settings as system properties and connected to once right away, so
 * that its switchboard (and registry) is built with them; the properties are then removed.
 */
public final class ClusterNode implements AutoCloseable {

    private final Server server;
    private final Switchboard switchboard;
    private boolean closed;

    private ClusterNode(Server server, Switchboard switchboard) {
        this.server = server;
        this.switchboard = switchboard;
    }

    /** A node of the cluster at {@code redisUrl}, with {@code settings} over the defaults (no ICE servers). */
    public static ClusterNode start(String redisUrl, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>();
        all.put("textchat.iceServers", "[]");
        all.put("textchat.redisUrl", redisUrl);
        all.putAll(settings);
        synchronized (ClusterNode.class) {
            Set<Switchboard> before = SignalConfigurator.live();
            all.forEach(System::setProperty);
            Server server = new Server("127.0.0.1", -1, "/textchat", Map.of(), SignalEndpoint.class);
            try {
                server.start();
                WsClient.connect(signalUri(server.getPort())).close();
            } catch (Exception e) {
                server.stop();
                throw new IllegalStateException("could not start a cluster node on 127.0.0.1", e);
            } finally {
                all.keySet().forEach(System::clearProperty);
            }
            Set<Switchboard> built = new HashSet<>(SignalConfigurator.live());
            built.removeAll(before);
            if (built.size() != 1) {
                server.stop();
                throw new IllegalStateException("expected one new switchboard, found " + built.size());
            }
            return new ClusterNode(server, built.iterator().next());
        }
    }

    public static ClusterNode start(String redisUrl) {
        return start(redisUrl, Map.of());
    }

    /** This node's id in the cluster. */
    public String id() {
        return ((ClusterRegistry) switchboard.registry()).node();
    }

    public Switchboard switchboard() {
        return switchboard;
    }

    public int port() {
        return server.getPort();
    }

    public URI signalUri() {
        return signalUri(port());
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
            switchboard.shutdown();
            server.stop();
        }
    }

    private static URI signalUri(int port) {
        return URI.create("ws://127.0.0.1:" + port + "/textchat/signal");
    }
}
