package local.textchat.support;

import java.net.URI;
import java.util.Map;

import org.glassfish.tyrus.server.Server;

import local.textchat.app.App;
import local.textchat.config.Settings;
import local.textchat.signal.SignalConfigurator;
import local.textchat.signal.SignalEndpoint;

/**
 * The real endpoint on Tyrus's Grizzly server at 127.0.0.1 on a free port, context
 * {@code /textchat}, a new server for every test, serving an {@link App} built from exactly the
 * test's settings (no system property or environment variable can change them). No servlet
 * container: no filters, no static files.
 */
final class TyrusTarget implements Target {

    @Override
    public String name() {
        return "tyrus";
    }

    @Override
    public boolean servletContainer() {
        return false;
    }

    @Override
    public Deployment deploy(Map<String, String> settings) {
        App app = App.start(Settings.of(settings));
        Server server = startServer(app);
        URI base = URI.create("http://127.0.0.1:" + server.getPort() + "/textchat/");
        return new Deployment() {
            @Override
            public URI baseUri() {
                return base;
            }

            @Override
            public void release() {
                server.stop();
                stopApplication();
            }

            @Override
            public void stopApplication() {
                SignalConfigurator.withdraw(app.switchboard());
                app.close();
            }
        };
    }

    /** Tyrus standalone on 127.0.0.1 and a free port, its endpoint serving {@code app}. */
    static Server startServer(App app) {
        Server server = new Server("127.0.0.1", -1, "/textchat", Map.of(), SignalEndpoint.class);
        synchronized (TyrusTarget.class) {
            // The configurator Tyrus creates while deploying takes the switchboard published last.
            SignalConfigurator.publish(app.switchboard());
            try {
                server.start();
            } catch (Exception e) {
                app.close();
                throw new IllegalStateException("could not start Tyrus on 127.0.0.1", e);
            }
        }
        return server;
    }
}
