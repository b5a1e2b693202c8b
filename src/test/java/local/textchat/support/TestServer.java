package local.textchat.support;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import org.glassfish.tyrus.server.Server;

import local.textchat.signal.SignalEndpoint;

/**
 * The real endpoint on Tyrus's Grizzly server at 127.0.0.1 on a free port, context
 * {@code /textchat}. Settings are given as {@code textchat.*} system properties for the
 * server's lifetime (the endpoint reads them at its first connection) and removed on close.
 */
public final class TestServer implements AutoCloseable {

    private final Server server;
    private final Map<String, String> settings;

    private TestServer(Server server, Map<String, String> settings) {
        this.server = server;
        this.settings = settings;
    }

    /** A server with default settings, except an empty ICE server list. */
    public static TestServer start() {
        return start(Map.of());
    }

    /** A server with {@code settings} over the defaults (ICE servers default to none). */
    public static TestServer start(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>();
        all.put("textchat.iceServers", "[]");
        all.putAll(settings);
        all.forEach(System::setProperty);
        Server server = new Server("127.0.0.1", -1, "/textchat", Map.of(), SignalEndpoint.class);
        try {
            server.start();
        } catch (Exception e) {
            all.keySet().forEach(System::clearProperty);
            throw new IllegalStateException("could not start Tyrus on 127.0.0.1", e);
        }
        return new TestServer(server, all);
    }

    public int port() {
        return server.getPort();
    }

    /** {@code ws://127.0.0.1:PORT/textchat/signal}. */
    public URI signalUri() {
        return URI.create("ws://127.0.0.1:" + port() + "/textchat/signal");
    }

    /** A new client connected to the signaling endpoint. */
    public WsClient connect() {
        return WsClient.connect(signalUri());
    }

    /** A new client, logged in as {@code name} (the login reply consumed and checked). */
    public WsClient login(String name) {
        WsClient client = connect();
        client.login(name);
        return client;
    }

    @Override
    public void close() {
        server.stop();
        settings.keySet().forEach(System::clearProperty);
    }
}
