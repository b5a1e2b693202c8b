package local.textchat.web;

import java.io.IOException;
import java.lang.System.Logger.Level;

import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import local.textchat.app.App;
import local.textchat.config.Secret;
import local.textchat.config.Settings;

/**
 * {@code GET /metrics}: the application's {@link local.textchat.metrics.Metrics} in the Prometheus
 * text format, for a Prometheus server to scrape. 404 when {@code textchat.metrics} is off; with
 * {@code textchat.metricsToken} set, a scrape must send {@code Authorization: Bearer <token>}
 * (Prometheus's {@code authorization} scrape setting), else 401.
 */
@WebServlet(urlPatterns = "/metrics")
public class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(MetricsServlet.class.getName());
    private static final String BEARER = "Bearer ";

    private transient App app;

    @Override
    public void init() throws ServletException {
        app = WebAppListener.app(getServletContext());
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        Settings settings = app.settings();
        if (!settings.metrics()) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, Settings.METRICS + " is off");
            return;
        }
        Secret token = settings.metricsToken();
        if (token != null && !token.matches(bearer(request))) {
            LOG.log(Level.INFO, "metrics: scrape from {0} without the right bearer token; answered 401",
                    request.getRemoteAddr());
            response.setHeader("WWW-Authenticate", "Bearer realm=\"textchat metrics\"");
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
            return;
        }
        response.setContentType(local.textchat.metrics.Metrics.CONTENT_TYPE);
        app.metrics().write(response.getOutputStream());
    }

    private static String bearer(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return header.substring(BEARER.length()).strip();
    }
}
