package local.textchat.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

import jakarta.json.Json;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import local.textchat.registry.LocalRegistry;
import local.textchat.registry.Registry;
import local.textchat.signal.ContainerBeans;
import local.textchat.signal.SignalConfigurator;
import local.textchat.signal.Switchboard;

/**
 * {@code GET /health}: {@code {"status":"up","users":N,"sockets":N,"registry":"cdi"|"plain"|"cluster","registryClass":"…"}},
 * for load balancers and operators: names held, open signaling sockets, and which registry holds them.
 *
 * <p>Where the container has CDI (Payara, WildFly) and the registry is the single-node one, the
 * user count is read from the container's {@code @ApplicationScoped} registry bean, looked up here
 * independently of the endpoint: it matches the users logged in over {@code /signal} only because
 * the endpoint uses that same bean. Otherwise (Tomcat; a cluster) it is read from the endpoint's
 * own registry.
 */
@WebServlet(urlPatterns = "/health")
public class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Set<Switchboard> switchboards = SignalConfigurator.live();
        Optional<Registry> used = switchboards.stream().findFirst().map(Switchboard::registry);
        boolean local = used.map(r -> r instanceof LocalRegistry).orElse(true);
        Optional<LocalRegistry> bean = local ? ContainerBeans.find(LocalRegistry.class) : Optional.empty();
        Optional<Registry> registry = bean.<Registry>map(r -> r).or(() -> used);
        String body = Json.createObjectBuilder()
                .add("status", "up")
                .add("users", registry.map(Registry::size).orElse(0))
                .add("sockets", switchboards.stream().mapToInt(Switchboard::openSockets).sum())
                .add("registry", !local ? "cluster" : bean.isPresent() ? "cdi" : "plain")
                .add("registryClass", registry.<Class<?>>map(Object::getClass).orElse(LocalRegistry.class).getName())
                .build()
                .toString();
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(body);
    }
}
