package local.textchat.signal;

import java.lang.reflect.Method;
import java.net.InetSocketAddress;

import jakarta.websocket.Session;

/**
 * The client's IP address, which the WebSocket API does not offer. Tomcat, Jetty and Undertow
 * put it in the session's user properties under {@value #PROPERTY}; Tyrus (standalone and
 * Payara) has a public {@code getRemoteAddr()} on its session class instead.
 */
final class RemoteAddress {

    static final String PROPERTY = "jakarta.websocket.endpoint.remoteAddress";
    static final String UNKNOWN = "unknown";

    private RemoteAddress() {
    }

    static String of(Session session) {
        Object property = session.getUserProperties().get(PROPERTY);
        if (property instanceof InetSocketAddress address && address.getAddress() != null) {
            return address.getAddress().getHostAddress();
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
