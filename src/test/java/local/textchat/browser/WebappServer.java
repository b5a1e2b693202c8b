package local.textchat.browser;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.websocket.DeploymentException;

import local.textchat.app.App;
import local.textchat.tyrus.DevServer;
import local.textchat.tyrus.EndpointScanner;
import local.textchat.tyrus.Options;
import local.textchat.tyrus.StaticFiles;

/**
 * The real web application as {@code mvn tyrus:run} serves it: the plugin's own {@link DevServer}
 * (compiled into the test classes from tyrus-maven-plugin/src/server/java) deploying what it finds
 * in target/classes — the endpoint, the web app listener, the filters (security headers included)
 * and the health servlet — with the files of src/main/webapp, on 127.0.0.1 and a free port. The
 * test hands over the {@link App} it built, and a {@link WireRecorder} sees every frame.
 */
public final class WebappServer implements AutoCloseable {

    static final String CONTEXT = "/textchat";
    private static final Path WEBAPP = Path.of("src/main/webapp");
    private static final Path CLASSES = Path.of("target/classes");

    private final DevServer server;
    private final Options options;
    private final WireRecorder recorder;

    private WebappServer(DevServer server, Options options, WireRecorder recorder) {
        this.server = server;
        this.options = options;
        this.recorder = recorder;
    }

    /** Serves {@code app}, which is closed when the server is (as an undeploy closes the application's). */
    public static WebappServer start(App app) throws IOException, DeploymentException {
        return start(app, new WireRecorder());
    }

    /** Serves {@code app} without recording its frames (for the benchmark, which sends millions). */
    public static WebappServer unrecorded(App app) throws IOException, DeploymentException {
        return start(app, null);
    }

    /** Serves {@code app} on {@code port} (where another server of the same test stood: the same origin). */
    static WebappServer start(App app, int port) throws IOException, DeploymentException {
        return start(app, new WireRecorder(), port);
    }

    private static WebappServer start(App app, WireRecorder recorder) throws IOException, DeploymentException {
        return start(app, recorder, 0);
    }

    private static WebappServer start(App app, WireRecorder recorder, int port) throws IOException, DeploymentException {
        if (!Files.isRegularFile(WEBAPP.resolve("index.html"))) {
            throw new IllegalStateException("no index.html in " + WEBAPP.toAbsolutePath());
        }
        ClassLoader loader = WebappServer.class.getClassLoader();
        Set<Class<?>> classes = EndpointScanner.scan(CLASSES, loader, skipped -> { });
        Options options = new Options("127.0.0.1", port, CONTEXT, WEBAPP, 0);
        DevServer server = DevServer.start(options, classes, new StaticFiles(CONTEXT, WEBAPP, loader), loader,
                new DevServer.Extras(Map.of(App.ATTRIBUTE, app), recorder == null ? List.of() : List.of(recorder)));
        return new WebappServer(server, options, recorder);
    }

    int port() {
        return server.port();
    }

    public URI page() {
        return URI.create(options.pageUrl(server.port()));
    }

    WireRecorder recorder() {
        return recorder;
    }

    @Override
    public void close() {
        server.close();
    }
}
