package local.textchat.signal;

import java.lang.System.Logger.Level;
import java.security.Principal;
import java.util.List;

import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

import local.textchat.policy.OriginPolicy;

/**
 * Creates each {@link SignalEndpoint} with its application's {@link Switchboard}, and vets each
 * handshake (origin, authenticated principal).
 *
 * <p>The container creates this configurator itself, from the {@code @ServerEndpoint} annotation,
 * so the switchboard cannot be handed to a constructor. It is handed over through
 * {@link #publish}, the one piece of static state of the application: whoever builds the
 * application publishes its switchboard before the endpoint is deployed (the web application's
 * listener; a test or the dev server doing the same), and a configurator serves the switchboard
 * published last before it was created. A servlet container deploys endpoints before the
 * application's listener runs; a configurator created before anything was published serves the
 * one published by the time of its first handshake. Static state is per application in a
 * container, where each WAR has its own class loader; embedders that start several applications
 * in one JVM publish each one just before deploying its endpoint.
 */
public class SignalConfigurator extends ServerEndpointConfig.Configurator {

    /** Session user property: the authenticated principal's name. */
    static final String PRINCIPAL = "textchat.principal";
    /** Session user property: why the handshake should not have been accepted. */
    static final String REFUSED = "textchat.refused";

    private static final System.Logger LOG = System.getLogger(SignalConfigurator.class.getName());
    private static volatile Switchboard published;

    private volatile Switchboard switchboard = published;

    /** From now on, configurators that are created serve {@code switchboard}. */
    public static void publish(Switchboard switchboard) {
        published = switchboard;
    }

    /** {@code switchboard} is stopping: it is no longer handed to configurators created later. */
    public static void withdraw(Switchboard switchboard) {
        if (published == switchboard) {
            published = null;
        }
    }

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
        boolean pass = switchboard().origins().early(origin) != OriginPolicy.Early.REFUSED;
        if (!pass) {
            LOG.log(Level.WARNING, "handshake refused: no Origin header");
        }
        return pass;
    }

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        String origin = header(request, "Origin");
        if (!switchboard().origins().allows(origin, header(request, "Host"))) {
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

    private Switchboard switchboard() {
        Switchboard current = switchboard;
        if (current == null) {
            current = published;
            if (current == null) {
                throw new IllegalStateException("no textchat application has been started "
                        + "(in a servlet container, web.WebAppListener starts it)");
            }
            switchboard = current;
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
}
