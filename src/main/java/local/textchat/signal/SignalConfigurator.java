package local.textchat.signal;

import java.lang.System.Logger.Level;
import java.security.Principal;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

import local.textchat.cluster.Cluster;
import local.textchat.config.ContextParams;
import local.textchat.config.Settings;
import local.textchat.policy.OriginPolicy;
import local.textchat.registry.LocalRegistry;
import local.textchat.registry.Registry;

/**
 * Creates each {@link SignalEndpoint} with the application's one {@link Switchboard}, and
 * vets each handshake (origin, authenticated principal).
 *
 * <p>The container makes one configurator per deployed endpoint, so the switchboard built here
 * is one per application (and one per server in tests that start several). It is built at the
 * first handshake, after the servlet context has published its init parameters. Its registry
 * is chosen here, once: with {@code textchat.redisUrl} set, this node's {@code ClusterRegistry}
 * in a cluster coordinated through that Redis; otherwise the single-node {@code LocalRegistry},
 * the container's CDI bean where there is CDI (Payara, WildFly) and a plain instance where there
 * is none (Tomcat, Tyrus standalone).
 */
public class SignalConfigurator extends ServerEndpointConfig.Configurator {

    /** Session user property: the authenticated principal's name. */
    static final String PRINCIPAL = "textchat.principal";
    /** Session user property: why the handshake should not have been accepted. */
    static final String REFUSED = "textchat.refused";

    private static final System.Logger LOG = System.getLogger(SignalConfigurator.class.getName());
    /** Every live switchboard of this web application, for {@link #shutdownAll()}. */
    private static final Set<Switchboard> LIVE = ConcurrentHashMap.newKeySet();

    private volatile Switchboard switchboard;
    private volatile OriginPolicy origins;

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
        if (endpointClass != SignalEndpoint.class) {
            throw new InstantiationException("SignalConfigurator serves only SignalEndpoint, not " + endpointClass);
        }
        return endpointClass.cast(new SignalEndpoint(switchboard()));
    }

    /**
     * Origins in the allow-list (or no Origin, if allowed) pass here; others are refused with
     * 403 unless they may still be the page's own origin, which needs the Host header and so is
     * decided in {@link #modifyHandshake}.
     */
    @Override
    public boolean checkOrigin(String origin) {
        boolean pass = origins().early(origin) != OriginPolicy.Early.REFUSED;
        if (!pass) {
            LOG.log(Level.WARNING, "handshake refused: no Origin header");
        }
        return pass;
    }

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        String origin = header(request, "Origin");
        if (!origins().allows(origin, header(request, "Host"))) {
            // Too late for a 403 here on Tyrus standalone; the servlet filter refuses it earlier
            // in a servlet container, and the endpoint closes it with 1008 otherwise.
            config.getUserProperties().put(REFUSED, "origin " + origin + " not allowed");
        }
        Principal principal = request.getUserPrincipal();
        if (principal != null) {
            config.getUserProperties().put(PRINCIPAL, principal.getName());
        }
        RemoteAddress.capture(config.getUserProperties());
        super.modifyHandshake(config, request, response);
    }

    /** The application's switchboard, built on first use. */
    public Switchboard switchboard() {
        Switchboard current = switchboard;
        if (current == null) {
            synchronized (this) {
                current = switchboard;
                if (current == null) {
                    current = build();
                    switchboard = current;
                    LIVE.add(current);
                }
            }
        }
        return current;
    }

    /** This web application's switchboards (one in a deployed WAR), for {@code web.HealthServlet}. */
    public static Set<Switchboard> live() {
        return Set.copyOf(LIVE);
    }

    /** Close every socket and stop every timer of this web application (it is being stopped). */
    public static void shutdownAll() {
        for (Switchboard s : LIVE) {
            s.shutdown();
        }
        LIVE.clear();
        Timers.shutdown();
    }

    private OriginPolicy origins() {
        OriginPolicy current = origins;
        if (current == null) {
            Settings settings = switchboard().settings();
            current = new OriginPolicy(settings.allowedOrigins(), settings.allowMissingOrigin());
            origins = current;
        }
        return current;
    }

    private static String header(HandshakeRequest request, String name) {
        for (var entry : request.getHeaders().entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                List<String> values = entry.getValue();
                return values == null || values.isEmpty() ? null : values.get(0);
            }
        }
        return null;
    }

    /** The single-node registry: the CDI bean where there is CDI, a plain instance otherwise. */
    private static Registry localRegistry(Settings settings) {
        LocalRegistry registry = ContainerBeans.find(LocalRegistry.class).orElseGet(LocalRegistry::new);
        registry.setMaxUsers(settings.maxUsers());
        return registry;
    }

    private static Switchboard build() {
        Settings settings = Settings.load(ContextParams.lookup());
        Registry registry = settings.cluster() != null ? Cluster.join(settings) : localRegistry(settings);
        LOG.log(Level.INFO, "textchat signaling ready: registry {0}, max message {1} bytes, {2} ICE server(s), "
                        + "{3} TURN URL(s) with minted credentials, ICE transport policy {4}",
                registry.getClass().getSimpleName(), settings.maxMessageBytes(), settings.iceServers().size(),
                settings.turnUrls().size(), settings.iceTransportPolicy());
        return new Switchboard(registry, settings);
    }
}
