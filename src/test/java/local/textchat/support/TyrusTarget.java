package local.textchat.support;

import java.net.URI;
import java.util.Map;

import org.glassfish.tyrus.server.Server;

import local.textchat.signal.SignalConfigurator;
import local.textchat.signal.SignalEndpoint;

/**
 * The real endpoint on Tyrus's Grizzly server at 127.0.0.1 on a free port, context
 * {@code /textchat}, a new server for every test. Settings are given as {@code textchat.*} system
 * properties for the server's lifetime (the endpoint reads them at its first connection) and
 * removed on release. No servlet container: no filters, no static files.
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
        settings.forEach(System::setProperty);
        Server server = new Server("127.0.0.1", -1, "/textchat", Map.of(), SignalEndpoint.class);
        try {
            server.start();
        } catch (Exception e) {
            settings.keySet().forEach(System::clearProperty);
            throw new IllegalStateException("could not start Tyrus on 127.0.0.1", e);
        }
        URI base = URI.create("http://127.0.0.1:" + server.getPort() + "/textchat/");
        return new Deployment() {
            @Override
            public URI baseUri() {
                return base;
            }

            @Override
            public void release() {
                server.stop();
                settings.keySet().forEach(System::clearProperty);
            }

            @Override
            public void stopApplication() {
                SignalConfigurator.shutdownAll();
            }
        };
    }
}
