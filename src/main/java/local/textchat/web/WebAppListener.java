package local.textchat.web;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

import local.textchat.config.ContextParams;
import local.textchat.signal.SignalConfigurator;

/**
 * Start and stop of the web application: hands the deployment's {@code textchat.*} context
 * init parameters to the settings, and on undeploy closes every socket with 1001.
 */
@WebListener
public class WebAppListener implements ServletContextListener {

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        Map<String, String> params = new HashMap<>();
        for (String name : Collections.list(context.getInitParameterNames())) {
            if (name.startsWith("textchat.")) {
                params.put(name, context.getInitParameter(name));
            }
        }
        ContextParams.publish(params);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        SignalConfigurator.shutdownAll();
    }
}
