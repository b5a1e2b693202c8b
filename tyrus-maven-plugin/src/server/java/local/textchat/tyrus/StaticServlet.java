package local.textchat.tyrus;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.servlet.HttpServletRequestImpl;

/**
 * The default servlet of the web application: {@link StaticFiles} over HTTP, GET and HEAD, never
 * cached by the browser. Being a servlet, it runs behind the application's filters, as a container's
 * default servlet does.
 */
final class StaticServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient StaticFiles files;

    StaticServlet(StaticFiles files) {
        this.files = files;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.setHeader("Allow", "GET, HEAD");
            text(response, 405, "405 Method Not Allowed");
            return;
        }
        if (request instanceof HttpServletRequestImpl grizzly && grizzly.getRequest().getRequest().isUpgrade()) {
            // Not a WebSocket upgrade (Tyrus took those), e.g. "Upgrade: h2c" from java.net.http: answer as
            // plain HTTP/1.1. Grizzly leaves Content-Type out for a request still marked as an upgrade.
            grizzly.getRequest().getRequest().setIgnoreContentModifiers(false);
        }
        StaticFiles.Lookup lookup = files.lookup(request.getRequestURI());
        switch (lookup.status()) {
            case 200:
                send(lookup, method.equals("HEAD"), response);
                break;
            case 302:
                response.setStatus(302);
                response.setHeader("Location", lookup.location());
                response.setContentLength(0);
                break;
            default:
                text(response, 404, "404 Not Found: " + request.getRequestURI());
        }
    }

    private static void send(StaticFiles.Lookup lookup, boolean headOnly, HttpServletResponse response)
            throws IOException {
        URLConnection connection = lookup.resource().openConnection();
        try (InputStream in = connection.getInputStream()) {
            response.setStatus(200);
            response.setContentType(lookup.contentType());
            response.setHeader("Cache-Control", "no-cache");
            response.setHeader("X-Content-Type-Options", "nosniff");
            long length = connection.getContentLengthLong();
            if (length >= 0) {
                response.setContentLengthLong(length);
            }
            if (!headOnly) {
                try (OutputStream out = response.getOutputStream()) {
                    in.transferTo(out);
                }
            }
        }
    }

    private static void text(HttpServletResponse response, int status, String message) throws IOException {
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("text/plain;charset=utf-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** Requests outside the context path: the server root redirects into the context, anything else is 404. */
    static final class Outside extends HttpHandler {
        private final StaticFiles files;

        Outside(StaticFiles files) {
            this.files = files;
        }

        @Override
        public void service(Request request, Response response) throws IOException {
            if (request.getMethod() != Method.GET && request.getMethod() != Method.HEAD) {
                response.setHeader("Allow", "GET, HEAD");
                plain(response, 405, "405 Method Not Allowed");
                return;
            }
            StaticFiles.Lookup lookup = files.lookup(request.getRequestURI());
            if (lookup.status() == 302) {
                response.setStatus(302);
                response.setHeader("Location", lookup.location());
                response.setContentLength(0);
            } else {
                plain(response, 404, "404 Not Found: " + request.getRequestURI());
            }
        }

        private static void plain(Response response, int status, String message) throws IOException {
            byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
            response.setStatus(status);
            response.setContentType("text/plain;charset=utf-8");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }
}
