package local.textchat.tyrus;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.EventListener;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.annotation.WebInitParam;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.annotation.WebServlet;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;

import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.nio.transport.TCPNIOTransport;
import org.glassfish.grizzly.nio.transport.TCPNIOTransportBuilder;
import org.glassfish.grizzly.servlet.FilterRegistration;
import org.glassfish.grizzly.servlet.ServletRegistration;
import org.glassfish.grizzly.servlet.WebappContext;
import org.glassfish.grizzly.strategies.WorkerThreadIOStrategy;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;
import org.glassfish.tyrus.container.grizzly.server.WebSocketAddOn;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.ServerContainer;
import org.glassfish.tyrus.spi.WebSocketEngine;

/**
 * One Grizzly HTTP server on one address and port that serves a web application the way a servlet
 * container deploys a WAR: its {@code @WebListener}s run when it starts and stops, its
 * {@code @WebFilter}s and {@code @WebServlet}s serve HTTP requests under the context path (static files
 * are served by a default servlet, so the application's filters apply to them as in a container), and
 * Tyrus's WebSocket filter handles the upgrade requests of its endpoints on the same port.
 * <p>
 * Tyrus's own {@code GrizzlyServerContainer} always binds 0.0.0.0, serves static files only from one
 * directory and runs no servlet component, so this class assembles the same parts itself. It is what
 * {@code mvn tyrus:run} runs, and what textchat's browser tests serve the page with (they compile this
 * source directory into their own classes; see the root pom).
 * <p>
 * Unlike a servlet container, WebSocket upgrades do not pass through the application's servlet
 * filters: Tyrus takes them at the Grizzly level, before any servlet.
 */
public final class DevServer implements AutoCloseable {

    /** What the server is started with besides its options, classes and files. */
    public record Extras(Map<String, Object> contextAttributes, List<AddOn> addOns) {

        /** Nothing extra. */
        public static final Extras NONE = new Extras(Map.of(), List.of());

        public Extras {
            contextAttributes = Map.copyOf(contextAttributes);
            addOns = List.copyOf(addOns);
        }
    }

    private final HttpServer http;
    private final Container container;
    private final WebappContext webapp;

    private DevServer(HttpServer http, Container container, WebappContext webapp) {
        this.http = http;
        this.container = container;
        this.webapp = webapp;
    }

    /** {@link #start(Options, Set, StaticFiles, ClassLoader, Extras)} with nothing extra. */
    public static DevServer start(Options options, Set<Class<?>> classes, StaticFiles files, ClassLoader appLoader)
            throws IOException, DeploymentException {
        return start(options, classes, files, appLoader, Extras.NONE);
    }

    /**
     * Deploys the application's classes and starts listening.
     *
     * @param classes   what {@link EndpointScanner} finds: {@code @ServerEndpoint} classes,
     *                  {@code ServerApplicationConfig} implementations and programmatic {@code Endpoint}s
     *                  (deployed as a servlet container deploys scanned classes), and the
     *                  {@code @WebListener}, {@code @WebFilter} and {@code @WebServlet} classes
     * @param appLoader the context class loader of the server's threads (ServiceLoader look-ups of the app, e.g.
     *                  JSON-B, go through it)
     * @param extras    servlet context attributes set before the listeners run (an embedder's ready-made
     *                  objects), and Grizzly add-ons to install (e.g. a test's wire recorder)
     * @throws java.net.BindException when the address cannot be bound (port in use, host not local)
     */
    public static DevServer start(Options options, Set<Class<?>> classes, StaticFiles files, ClassLoader appLoader,
                                  Extras extras) throws IOException, DeploymentException {
        Set<Class<?>> endpoints = new java.util.LinkedHashSet<>();
        for (Class<?> cls : classes) {
            if (EndpointScanner.isDeployable(cls)) {
                endpoints.add(cls);
            }
        }
        Container container = new Container(endpoints, options.contextPath());
        WebappContext webapp = webapp(options, classes, files, extras);

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
        // A cached file would be answered below the servlets, without what the application's filters add.
        listener.getFileCache().setEnabled(false);
        listener.registerAddOn(new BadPathFilter());
        listener.registerAddOn(webSocketAddOn(container, options.contextPath()));
        extras.addOns().forEach(listener::registerAddOn);
        http.addListener(listener);
        http.getServerConfiguration().setName("tyrus-run");
        if (!options.contextPath().isEmpty()) {
            // Outside the context there is nothing but the way in: "/" redirects to the context, as StaticFiles says.
            http.getServerConfiguration().addHttpHandler(new StaticServlet.Outside(files), "/");
        }
        boolean deployed = false;
        try {
            // The application's listeners run first (they may prepare what its endpoints serve), then the
            // endpoints are deployed, then the port opens.
            webapp.deploy(http);
            deployed = true;
            container.start(options.contextPath(), options.port());
            http.start();
        } catch (IOException | DeploymentException | RuntimeException e) {
            http.shutdownNow();
            container.stop();
            if (deployed) {
                webapp.undeploy();
            }
            throw e;
        }
        return new DevServer(http, container, webapp);
    }

    /** The servlet side: context attributes, listeners, filters, servlets, and the default servlet for files. */
    private static WebappContext webapp(Options options, Set<Class<?>> classes, StaticFiles files, Extras extras) {
        WebappContext webapp = new WebappContext("tyrus-run", options.contextPath());
        webapp.setServerInfo("tyrus-run");
        extras.contextAttributes().forEach(webapp::setAttribute);
        boolean rootServlet = false;
        for (Class<?> cls : classes) {
            WebListener listener = cls.getAnnotation(WebListener.class);
            if (listener != null && EventListener.class.isAssignableFrom(cls)) {
                webapp.addListener(cls.asSubclass(EventListener.class));
            }
            WebFilter filter = cls.getAnnotation(WebFilter.class);
            if (filter != null && Filter.class.isAssignableFrom(cls)) {
                String name = filter.filterName().isEmpty() ? cls.getName() : filter.filterName();
                FilterRegistration registration = webapp.addFilter(name, cls.asSubclass(Filter.class));
                registration.setAsyncSupported(filter.asyncSupported());
                initParams(filter.initParams()).forEach(registration::setInitParameter);
                String[] patterns = patterns(filter.value(), filter.urlPatterns());
                if (patterns.length > 0) {
                    registration.addMappingForUrlPatterns(EnumSet.copyOf(List.of(filter.dispatcherTypes())), true,
                            patterns);
                }
                if (filter.servletNames().length > 0) {
                    registration.addMappingForServletNames(EnumSet.copyOf(List.of(filter.dispatcherTypes())), true,
                            filter.servletNames());
                }
            }
            WebServlet servlet = cls.getAnnotation(WebServlet.class);
            if (servlet != null && Servlet.class.isAssignableFrom(cls)) {
                String name = servlet.name().isEmpty() ? cls.getName() : servlet.name();
                ServletRegistration registration = webapp.addServlet(name, cls.asSubclass(Servlet.class));
                registration.setAsyncSupported(servlet.asyncSupported());
                registration.setLoadOnStartup(servlet.loadOnStartup());
                initParams(servlet.initParams()).forEach(registration::setInitParameter);
                String[] patterns = patterns(servlet.value(), servlet.urlPatterns());
                registration.addMapping(patterns);
                rootServlet |= List.of(patterns).contains("/");
            }
        }
        if (!rootServlet) {
            webapp.addServlet("tyrus-run-files", new StaticServlet(files)).addMapping("/");
        }
        return webapp;
    }

    private static String[] patterns(String[] value, String[] urlPatterns) {
        List<String> all = new ArrayList<>(List.of(value));
        all.addAll(List.of(urlPatterns));
        return all.toArray(new String[0]);
    }

    private static Map<String, String> initParams(WebInitParam[] params) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (WebInitParam param : params) {
            map.put(param.name(), param.value());
        }
        return map;
    }

    /** The port actually bound (differs from the option when that was 0). */
    public int port() {
        return http.getListener("tyrus-run").getPort();
    }

    /** Stops as an undeploy would: the application's listeners are told, then the endpoints and the port close. */
    @Override
    public void close() {
        try {
            webapp.undeploy();
        } finally {
            http.shutdownNow();
            container.stop();
        }
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
}
