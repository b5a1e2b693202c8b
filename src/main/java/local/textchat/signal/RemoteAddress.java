package local.textchat.signal;

import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.util.Map;

import jakarta.websocket.Session;

/**
 * The client's IP address, which the WebSocket API does not offer. Jetty puts it in the session's
 * user properties under {@value #PROPERTY}; Tyrus (standalone and Payara) has a public
 * {@code getRemoteAddr()} on its session class. Tomcat and Undertow (WildFly) offer it nowhere
 * (the container tests found the per-address cap had no effect there), so the servlet filter that
 * sees every handshake, {@code web.HandshakeFilter}, hands it over: it announces the address with
 * {@link #handshakeStarts} and passes the request on, the container upgrades it on that same
 * thread and calls {@code SignalConfigurator.modifyHandshake}, which {@link #capture}s it into
 * the new session's user properties.
 */
public final class RemoteAddress {

    static final String PROPERTY = "jakarta.websocket.endpoint.remoteAddress";
    static final String UNKNOWN = "unknown";
    private static final String CAPTURED = "textchat.remoteAddress";
    private static final ThreadLocal<String> UPGRADING = new ThreadLocal<>();

    private RemoteAddress() {
    }

    /** A handshake from {@code address} goes down the filter chain on this thread. */
    public static void handshakeStarts(String address) {
        UPGRADING.set(address);
    }

    /** The filter chain has returned. */
    public static void handshakeEnds() {
        UPGRADING.remove();
    }

    /** During the handshake: keep the address the filter announced with the session's properties. */
    static void capture(Map<String, Object> userProperties) {
        String address = UPGRADING.get();
        if (address != null) {
            userProperties.put(CAPTURED, address);
        }
    }

    static String of(Session session) {
        Object property = session.getUserProperties().get(PROPERTY);
        if (property instanceof InetSocketAddress address && address.getAddress() != null) {
            return address.getAddress().getHostAddress();
        }
        if (session.getUserProperties().get(CAPTURED) instanceof String captured) {
            return captured;
        }
        try {
            Method getter = session.getClass().getMethod("getRemoteAddr");
            Object value = getter.invoke(session);
            if (value instanceof String address && !address.isBlank()) {
                return address;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // not Tyrus: fall through
        }
        return UNKNOWN;
    }
}
