package local.textchat.browser;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;

import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpHandlerRegistration;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.http.server.StaticHttpHandler;
import org.glassfish.grizzly.strategies.WorkerThreadIOStrategy;
import org.glassfish.tyrus.container.grizzly.server.WebSocketAddOn;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.ServerContainer;
import org.glassfish.tyrus.spi.WebSocketEngine;

import local.textchat.app.App;
import local.textchat.signal.SignalConfigurator;
import local.textchat.signal.SignalEndpoint;
import local.textchat.web.SecurityHeadersFilter;

/**
 * The real web application on one origin, as a container would serve it: the files of
 * {@code src/main/webapp} under {@code /textchat/} (through the real {@link SecurityHeadersFilter})
 * and the real {@link SignalEndpoint} at {@code /textchat/signal}, on 127.0.0.1 and a free port.
 * Tyrus's own standalone server serves only WebSockets, hence this Grizzly server with Tyrus's
 * WebSocket add-on, plus a {@link WireRecorder} that sees every frame.
 */
final class WebappServer implements AutoCloseable {

    static final String CONTEXT = "/textchat";

    private final HttpServer http;
    private final EndpointContainer container;
    private final WireRecorder recorder;
    private final int port;

    private WebappServer(HttpServer http, EndpointContainer container, WireRecorder recorder, int port) {
        this.http = http;
        this.container = container;
        this.recorder = recorder;
        this.port = port;
    }

    static WebappServer start(Path webapp, App app) throws IOException, DeploymentException {
        if (!Files.isRegularFile(webapp.resolve("index.html"))) {
            throw new IllegalStateException("no index.html in " + webapp.toAbsolutePath());
        }
        EndpointContainer container = new EndpointContainer(Set.of(SignalEndpoint.class));
        synchronized (WebappServer.class) {
            SignalConfigurator.publish(app.switchboard());
            container.start(CONTEXT, 0);
        }

        WireRecorder recorder = new WireRecorder();
        HttpServer http = new HttpServer();
        NetworkListener listener = new NetworkListener("textchat", "127.0.0.1", 0);
        listener.getTransport().setIOStrategy(WorkerThreadIOStrategy.getInstance());
        // WebSockets live as long as the test wants them; no HTTP keep-alive timeout on them.
        listener.getKeepAlive().setIdleTimeoutInSeconds(-1);
        // A cached file would be answered below the handler, without the security headers.
        listener.getFileCache().setEnabled(false);
        listener.registerAddOn(webSocketAddOn(container));
        listener.registerAddOn(recorder);
        http.addListener(listener);

        StaticWebapp files = new StaticWebapp(webapp);
        http.getServerConfiguration().addHttpHandler(files,
                HttpHandlerRegistration.builder().contextPath(CONTEXT).urlPattern("/*").build());
        http.start();
        return new WebappServer(http, container, recorder, listener.getPort());
    }

    /**
     * Tyrus's own add-on that puts its WebSocket filter in front of the HTTP handlers. Its
     * constructor is package-private in Tyrus 2.1.3 (public in later releases), hence reflection.
     */
    private static AddOn webSocketAddOn(ServerContainer container) {
        try {
            Constructor<WebSocketAddOn> constructor =
                    WebSocketAddOn.class.getDeclaredConstructor(ServerContainer.class, String.class);
            constructor.setAccessible(true);
            return constructor.newInstance(container, CONTEXT);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this Tyrus has no WebSocketAddOn(ServerContainer, String)", e);
        }
    }

    URI page() {
        return URI.create("http://127.0.0.1:" + port + CONTEXT + "/");
    }

    WireRecorder recorder() {
        return recorder;
    }

    @Override
    public void close() {
        container.stop();
        http.shutdownNow();
    }

    /** Tyrus's server container without a server of its own: the HTTP server above carries it. */
    private static final class EndpointContainer extends TyrusServerContainer {
        private final TyrusWebSocketEngine engine = TyrusWebSocketEngine.builder(this).build();
        private volatile String contextPath = CONTEXT;

        EndpointContainer(Set<Class<?>> endpoints) {
            super(endpoints);
        }

        @Override
        public void start(String rootPath, int port) throws IOException, DeploymentException {
            contextPath = rootPath;
            super.start(rootPath, port);
        }

        @Override
        public void register(Class<?> endpointClass) throws DeploymentException {
            engine.register(endpointClass, contextPath);
        }

        @Override
        public void register(ServerEndpointConfig config) throws DeploymentException {
            engine.register(config, contextPath);
        }

        @Override
        public WebSocketEngine getWebSocketEngine() {
            return engine;
        }
    }

    /**
     * Static files, each answered through the application's real security-headers filter. The
     * filter gets just enough of a servlet request and response to do its job; any other call
     * fails loudly, so a change to the filter cannot silently go untested here.
     */
    private static final class StaticWebapp extends StaticHttpHandler {

        StaticWebapp(Path root) {
            super(root.toAbsolutePath().toString());
            setFileCacheEnabled(false);
        }

        @Override
        public void service(Request request, Response response) throws Exception {
            HttpServletRequest servletRequest = servletProxy(HttpServletRequest.class, Map.of(
                    "getHeader", args -> request.getHeader((String) args[0])));
            HttpServletResponse servletResponse = servletProxy(HttpServletResponse.class, Map.of(
                    "setHeader", args -> {
                        response.setHeader((String) args[0], (String) args[1]);
                        return null;
                    },
                    "addHeader", args -> {
                        response.addHeader((String) args[0], (String) args[1]);
                        return null;
                    }));
            Exception[] failure = new Exception[1];
            FilterChain serveFile = (req, res) -> {
                try {
                    super.service(request, response);
                } catch (Exception e) {
                    failure[0] = e;
                }
            };
            new SecurityHeadersFilter().doFilter(servletRequest, servletResponse, serveFile);
            if (failure[0] != null) {
                throw failure[0];
            }
        }

        private interface Call {
            Object invoke(Object[] args);
        }

        private static <T> T servletProxy(Class<T> type, Map<String, Call> methods) {
            return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                    (proxy, method, args) -> {
                        Call call = methods.get(method.getName());
                        if (call != null) {
                            return call.invoke(args);
                        }
                        if (method.getName().equals("toString")) {
                            return "test " + type.getSimpleName();
                        }
                        throw new UnsupportedOperationException(type.getSimpleName() + "." + method.getName()
                                + " is not supported by the browser-test server; extend WebappServer");
                    }));
        }
    }
}
