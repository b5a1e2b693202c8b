package local.textchat.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import jakarta.json.Json;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import local.textchat.app.App;

/**
 * {@code GET /health}: {@code {"status":"up","users":N,"sockets":N,"registry":"cdi"|"plain"|"cluster","registryClass":"…"}},
 * for load balancers and operators: names held, open signaling sockets, and where the users live
 * (the container's CDI bean, a plain instance, or a cluster), all read from the application's
 * {@link App}, the same one the endpoint serves.
 */
@WebServlet(urlPatterns = "/health")
public class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private transient App app;

    @Override
    public void init() throws ServletException {
        app = WebAppListener.app(getServletContext());
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String body = Json.createObjectBuilder()
                .add("status", "up")
                .add("users", app.registry().size())
                .add("sockets", app.switchboard().openSockets())
                .add("registry", app.registryKind().name().toLowerCase(Locale.ROOT))
                .add("registryClass", app.registry().users().getClass().getName())
                .build()
                .toString();
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(body);
    }
}
