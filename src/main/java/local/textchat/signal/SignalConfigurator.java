package local.textchat.signal;

import java.lang.System.Logger.Level;

import jakarta.websocket.server.ServerEndpointConfig;

import local.textchat.config.ContextParams;
import local.textchat.config.Settings;
import local.textchat.registry.LocalRegistry;

/**
 * Creates each {@link SignalEndpoint} with the application's one {@link Switchboard}.
 *
 * <p>The container makes one configurator per deployed endpoint, so the switchboard built here
 * is one per application (and one per server in tests that start several). It is built at the
 * first connection, after the servlet context has published its init parameters. Its registry
 * is the container's CDI bean where there is CDI (Payara, WildFly) and a plain instance where
 * there is none (Tomcat, Tyrus standalone).
 */
public class SignalConfigurator extends ServerEndpointConfig.Configurator {

    private static final System.Logger LOG = System.getLogger(SignalConfigurator.class.getName());

    private volatile Switchboard switchboard;

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
        if (endpointClass != SignalEndpoint.class) {
            throw new InstantiationException("SignalConfigurator serves only SignalEndpoint, not " + endpointClass);
        }
        return endpointClass.cast(new SignalEndpoint(switchboard()));
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
                }
            }
        }
        return current;
    }

    private static Switchboard build() {
        Settings settings = Settings.load(ContextParams.lookup());
        LocalRegistry registry = ContainerBeans.find(LocalRegistry.class).orElseGet(LocalRegistry::new);
        registry.setMaxUsers(settings.maxUsers());
        LOG.log(Level.INFO, "textchat signaling ready: registry {0}, max message {1} bytes, {2} ICE server(s)",
                registry.getClass().getSimpleName(), settings.maxMessageBytes(), settings.iceServers().size());
        return new Switchboard(registry, settings);
    }
}
