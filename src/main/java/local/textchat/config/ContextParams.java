package local.textchat.config;

import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The servlet context's init parameters, published by {@code web.WebAppListener} when the
 * web application starts. Static on purpose: each deployed WAR has its own class loader, so this
 * is one per application, and the WebSocket configurator has no other way to reach the
 * ServletContext. Without a servlet container (Tyrus standalone) it stays empty.
 */
public final class ContextParams {

    private static volatile Map<String, String> params = Map.of();

    private ContextParams() {
    }

    public static void publish(Map<String, String> initParams) {
        params = Map.copyOf(initParams);
    }

    public static UnaryOperator<String> lookup() {
        Map<String, String> current = params;
        return current::get;
    }
}
