package local.textchat.web;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Security headers on every response of the application. The page loads only its own scripts
 * and styles (no inline script, no CDN) and talks only to its own origin, WebSocket included.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class SecurityHeadersFilter implements Filter {

    // A Host header is a host name, an IPv4 address or a bracketed IPv6 address, and a port.
    private static final Pattern HOST = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?");

    /**
     * The headers for a request that arrived with this {@code Host} header (may be null).
     *
     * <p>CSP Level 3 lets {@code 'self'} match ws: and wss: on the page's own host and port, and
     * current Chromium and Firefox do so (the browser tests run under this header). Browsers that
     * predate that rule (Safari before 15.4) need the WebSocket origin spelled out, so it is added
     * when the Host header is well-formed.
     */
    public static Map<String, String> headersFor(String host) {
        String webSockets = host != null && HOST.matcher(host).matches() ? " ws://" + host + " wss://" + host : "";
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; "
                + "img-src 'self' blob:; connect-src 'self'" + webSockets + "; manifest-src 'self'; worker-src 'self'; "
                + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("X-Frame-Options", "DENY");
        return headers;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && response instanceof HttpServletResponse reply) {
            headersFor(http.getHeader("Host")).forEach(reply::setHeader);
        }
        chain.doFilter(request, response);
    }
}
