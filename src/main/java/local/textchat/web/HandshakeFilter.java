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

/**
 * Refuses WebSocket handshakes from origins that are not allowed with HTTP 403, before the
 * container upgrades them. The WebSocket API's {@code checkOrigin} cannot see the Host header,
 * so "the page's own origin" can only be judged here; without a servlet container (Tyrus
 * standalone) the endpoint closes such sockets with 1008 instead.
 */
@WebFilter(urlPatterns = "/signal", asyncSupported = true)
public class HandshakeFilter implements Filter {

    private static final System.Logger LOG = System.getLogger(HandshakeFilter.class.getName());

    private OriginPolicy origins;

    @Override
    public void init(FilterConfig config) throws ServletException {
        origins = WebAppListener.app(config.getServletContext()).switchboard().origins();
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
