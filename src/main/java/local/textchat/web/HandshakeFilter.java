package local.textchat.web;

import java.io.IOException;
import java.lang.System.Logger.Level;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import local.textchat.policy.OriginPolicy;
import local.textchat.signal.RemoteAddress;
import local.textchat.signal.Switchboard;

/**
 * Refuses WebSocket handshakes before the container upgrades them: from origins that are not
 * allowed with HTTP 403, and from an address that already has as many sockets open as it may
 * with HTTP 429. The WebSocket API's {@code checkOrigin} cannot see the Host header, so "the
 * page's own origin" can only be judged here, and the endpoint cannot refuse a handshake at
 * all; without a servlet container (Tyrus standalone) the endpoint closes such sockets with
 * 1008 instead, as it does a socket that passed here at the same moment as another.
 */
@WebFilter(urlPatterns = "/signal", asyncSupported = true)
public class HandshakeFilter implements Filter {

    private static final System.Logger LOG = System.getLogger(HandshakeFilter.class.getName());
    /** Not among HttpServletResponse's constants. */
    private static final int SC_TOO_MANY_REQUESTS = 429;

    private Switchboard switchboard;
    private OriginPolicy origins;

    @Override
    public void init(FilterConfig config) throws ServletException {
        switchboard = WebAppListener.app(config.getServletContext()).switchboard();
        origins = switchboard.origins();
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && response instanceof HttpServletResponse reply
                && "websocket".equalsIgnoreCase(http.getHeader("Upgrade"))) {
            String origin = http.getHeader("Origin");
            if (!origins.allows(origin, http.getHeader("Host"))) {
                LOG.log(Level.WARNING, "handshake from {0} refused: origin {1} not allowed", http.getRemoteAddr(), origin);
                reply.sendError(HttpServletResponse.SC_FORBIDDEN, "origin not allowed");
                return;
            }
            if (switchboard.refusesHandshakeFrom(http.getRemoteAddr())) {
                reply.sendError(SC_TOO_MANY_REQUESTS, "too many connections from your address");
                return;
            }
            // Tomcat and Undertow do not tell the endpoint the client's address; see RemoteAddress.
            RemoteAddress.handshakeStarts(http.getRemoteAddr());
            try {
                chain.doFilter(request, response);
            } finally {
                RemoteAddress.handshakeEnds();
            }
            return;
        }
        chain.doFilter(request, response);
    }
}
