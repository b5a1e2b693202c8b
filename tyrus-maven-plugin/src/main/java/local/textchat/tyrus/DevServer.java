package local.textchat.tyrus;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;

import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.nio.transport.TCPNIOTransport;
import org.glassfish.grizzly.nio.transport.TCPNIOTransportBuilder;
import org.glassfish.grizzly.strategies.WorkerThreadIOStrategy;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;
import org.glassfish.tyrus.container.grizzly.server.WebSocketAddOn;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.ServerContainer;
import org.glassfish.tyrus.spi.WebSocketEngine;

/**
 * One Grizzly HTTP server on one address and port: Tyrus's WebSocket filter handles upgrade requests under
 * the context path, every other request goes to the static files.
 * <p>
 * Tyrus's own {@code GrizzlyServerContainer} does the same but always binds 0.0.0.0 and serves static files
 * only from one directory, so this class assembles the same parts itself.
 */
final class DevServer implements AutoCloseable {

    private final HttpServer http;
    private final Container container;

    private DevServer(HttpServer http, Container container) {
        this.http = http;
        this.container = container;
    }

    /**
     * Deploys the endpoint classes and starts listening.
     *
     * @param classes   {@code @ServerEndpoint} classes, {@code ServerApplicationConfig} implementations and
     *                  programmatic {@code Endpoint}s, deployed as a servlet container deploys scanned classes
     * @param appLoader the context class loader of the server's threads (ServiceLoader look-ups of the app, e.g.
     *                  JSON-B, go through it)
     * @throws java.net.BindException when the address cannot be bound (port in use, host not local)
     */
    static DevServer start(Options options, Set<Class<?>> classes, StaticFiles files, ClassLoader appLoader)
            throws IOException, DeploymentException {
        Container container = new Container(classes, options.contextPath());
        container.start(options.contextPath(), options.port()); // deploys; throws on an invalid endpoint

        HttpServer http = new HttpServer();
        NetworkListener listener = new NetworkListener("tyrus-run", options.host(), options.port());
        ThreadPoolConfig workers = ThreadPoolConfig.defaultConfig().copy()
                .setPoolName("tyrus-run-worker")
                .setInitialClassLoader(appLoader);
        TCPNIOTransport transport = TCPNIOTransportBuilder.newInstance()
                .setWorkerThreadPoolConfig(workers)
                .setIOStrategy(WorkerThreadIOStrategy.getInstance())
                .build();
        listener.setTransport(transport);
        listener.getKeepAlive().setIdleTimeoutInSeconds(-1); // as Tyrus does: WebSocket connections stay open
        listener.registerAddOn(webSocketAddOn(container, options.contextPath()));
        http.addListener(listener);
        http.getServerConfiguration().addHttpHandler(new StaticHandler(files));
        http.getServerConfiguration().setName("tyrus-run");
        try {
            http.start();
        } catch (IOException | RuntimeException e) {
            http.shutdownNow();
            container.stop();
            throw e;
        }
        return new DevServer(http, container);
    }

    /** The port actually bound (differs from the option when that was 0). */
    int port() {
        return http.getListener("tyrus-run").getPort();
    }

    @Override
    public void close() {
        http.shutdownNow();
        container.stop();
    }

    /**
     * Tyrus 2.1.x's WebSocketAddOn has a package-private constructor (it is public in later versions);
     * this is the only access that needs reflection.
     */
    private static AddOn webSocketAddOn(ServerContainer container, String contextPath) {
        try {
            Constructor<WebSocketAddOn> constructor =
                    WebSocketAddOn.class.getDeclaredConstructor(ServerContainer.class, String.class);
            constructor.setAccessible(true);
            return constructor.newInstance(container, contextPath);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Unsupported Tyrus version: cannot create its WebSocketAddOn", e);
        }
    }

    /** The server container: Tyrus's engine, deploying at the context path. */
    private static final class Container extends TyrusServerContainer {
        private final String contextPath;
        private final TyrusWebSocketEngine engine;

        Container(Set<Class<?>> classes, String contextPath) {
            super(classes);
            this.contextPath = contextPath;
            this.engine = TyrusWebSocketEngine.builder(this).build();
        }

        @Override
        public void register(Class<?> endpointClass) throws DeploymentException {
            engine.register(endpointClass, contextPath);
        }

        @Override
        public void register(ServerEndpointConfig serverEndpointConfig) throws DeploymentException {
            engine.register(serverEndpointConfig, contextPath);
        }

        @Override
        public WebSocketEngine getWebSocketEngine() {
            return engine;
        }
    }

    /** Serves {@link StaticFiles} over HTTP: GET and HEAD, never cached by the browser. */
    private static final class StaticHandler extends HttpHandler {
        private final StaticFiles files;

        StaticHandler(StaticFiles files) {
            this.files = files;
        }

        @Override
        public void service(Request request, Response response) throws IOException {
            Method method = request.getMethod();
            if (method != Method.GET && method != Method.HEAD) {
                response.setHeader("Allow", "GET, HEAD");
                text(response, 405, "405 Method Not Allowed");
                return;
            }
            if (request.getRequest().isUpgrade()) {
                // Not a WebSocket upgrade (Tyrus took those), e.g. "Upgrade: h2c" from java.net.http: answer as
                // plain HTTP/1.1. Grizzly leaves Content-Type out for a request still marked as an upgrade.
                request.getRequest().setIgnoreContentModifiers(false);
            }
            StaticFiles.Lookup lookup = files.lookup(request.getRequestURI());
            switch (lookup.status()) {
                case 200:
                    send(lookup, method == Method.HEAD, response);
                    break;
                case 302:
                    response.setStatus(302);
                    response.setHeader("Location", lookup.location());
                    response.setContentLength(0);
                    break;
                default:
                    text(response, 404, "404 Not Found: " + request.getRequestURI());
            }
        }

        private static void send(StaticFiles.Lookup lookup, boolean headOnly, Response response) throws IOException {
            URLConnection connection = lookup.resource().openConnection();
            try (InputStream in = connection.getInputStream()) {
                response.setStatus(200);
                response.setContentType(lookup.contentType());
                response.setHeader("Cache-Control", "no-cache");
                response.setHeader("X-Content-Type-Options", "nosniff");
                long length = connection.getContentLengthLong();
                if (length >= 0) {
                    response.setContentLengthLong(length);
                }
                if (!headOnly) {
                    try (OutputStream out = response.getOutputStream()) {
                        in.transferTo(out);
                    }
                }
            }
        }

        private static void text(Response response, int status, String message) throws IOException {
            byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
            response.setStatus(status);
            response.setContentType("text/plain;charset=utf-8");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }
}
