package local.textchat.support;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * The application under test, for one test: on Tyrus standalone a fresh server (the default),
 * on a container the shared deployment with the asked-for settings (see {@link Target}). Every
 * setting the test relies on is given to {@link #start(Map)}; ICE servers default to none.
 */
public final class TestServer implements AutoCloseable {

    /** What every test gets unless it asks otherwise: no ICE servers (no traffic to public STUN). */
    public static final Map<String, String> DEFAULTS = Map.of("textchat.iceServers", "[]");

    private final Target target;
    private final Deployment deployment;

    private TestServer(Target target, Deployment deployment) {
        this.target = target;
        this.deployment = deployment;
    }

    /** The application with default settings, except an empty ICE server list. */
    public static TestServer start() {
        return start(Map.of());
    }

    /** The application with {@code settings} over the defaults (ICE servers default to none). */
    public static TestServer start(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(DEFAULTS);
        all.putAll(settings);
        Target target = Target.current();
        return new TestServer(target, target.deploy(Map.copyOf(all)));
    }

    /** Where this test runs. */
    public Target target() {
        return target;
    }

    public int port() {
        return deployment.baseUri().getPort();
    }

    /** {@code http://127.0.0.1:PORT/textchat/} (the context path may differ on a container). */
    public URI baseUri() {
        return deployment.baseUri();
    }

    /** {@code ws://127.0.0.1:PORT/textchat/signal}. */
    public URI signalUri() {
        URI base = deployment.baseUri();
        return URI.create("ws://" + base.getHost() + ":" + base.getPort() + base.getPath() + "signal");
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

    /** Stop the application as an undeploy would: every socket is closed with 1001. */
    public void stopApplication() {
        deployment.stopApplication();
    }

    @Override
    public void close() {
        deployment.release();
    }
}
