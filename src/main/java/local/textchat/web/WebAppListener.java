package local.textchat.web;

import java.lang.System.Logger.Level;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebListener;
import jakarta.websocket.server.ServerContainer;

import local.textchat.app.App;
import local.textchat.config.Settings;
import local.textchat.signal.SignalConfigurator;
import local.textchat.signal.SignalEndpoint;

/**
 * Start and stop of the web application: the {@link App} is built here from the deployment's
 * settings (its {@code textchat.*} context init parameters, overridden by system properties and
 * environment variables), kept as the servlet context attribute {@link App#ATTRIBUTE} for the
 * servlets and filters, and its switchboard handed to the WebSocket endpoint. On undeploy every
 * socket is closed with 1001.
 *
 * <p>An embedding server that has already built its {@link App} (the browser tests) puts it in
 * the attribute before the context starts; it is then used as it is.
 */
@WebListener
public class WebAppListener implements ServletContextListener {

    private static final System.Logger LOG = System.getLogger(WebAppListener.class.getName());

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        App app = context.getAttribute(App.ATTRIBUTE) instanceof App given ? given : start(context);
        context.setAttribute(App.ATTRIBUTE, app);
        if (context.getAttribute(ServerContainer.class.getName()) instanceof ServerContainer container) {
            SignalEndpoint.sizeBuffers(container, app.switchboard().settings().maxMessageBytes());
        }
        SignalConfigurator.publish(app.switchboard());
    }

    /** The application this web app started, for its servlets and filters; fails if it did not start. */
    static App app(ServletContext context) throws ServletException {
        if (context.getAttribute(App.ATTRIBUTE) instanceof App app) {
            return app;
        }
        throw new ServletException("textchat did not start (see the log): no " + App.ATTRIBUTE);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (event.getServletContext().getAttribute(App.ATTRIBUTE) instanceof App app) {
            SignalConfigurator.withdraw(app.switchboard());
            app.close();
        }
    }

    private static App start(ServletContext context) {
        Map<String, String> params = new HashMap<>();
        for (String name : Collections.list(context.getInitParameterNames())) {
            if (name.startsWith("textchat.")) {
                params.put(name, context.getInitParameter(name));
            }
        }
        try {
            return App.start(Settings.load(params::get));
        } catch (IllegalArgumentException e) {
            LOG.log(Level.ERROR, "textchat cannot start: {0}", e.getMessage());
            throw e;
        }
    }
}
