package local.textchat.tyrus;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The validated options of {@code tyrus:run}.
 *
 * @param host        address to bind; only that address accepts connections
 * @param port        port to bind, 0 for any free port
 * @param contextPath "" for the root context, else "/name" without a trailing slash
 * @param webappDir   static files served live, straight from the sources
 * @param stopAfter   seconds to run before stopping by itself, 0 to run until Ctrl-C
 */
public record Options(String host, int port, String contextPath, Path webappDir, int stopAfter) {

    public Options {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("tyrus.host must not be empty");
        }
        host = host.strip();
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("tyrus.port must be between 0 and 65535, not " + port);
        }
        contextPath = normalizeContextPath(contextPath);
        if (webappDir == null) {
            throw new IllegalArgumentException("tyrus.webappDir must be set");
        }
        webappDir = webappDir.toAbsolutePath().normalize();
        if (stopAfter < 0) {
            throw new IllegalArgumentException("tyrus.stopAfter must be 0 (run until Ctrl-C) or a number of seconds, not "
                    + stopAfter);
        }
    }

    /** "textchat", "/textchat" and "/textchat/" all mean "/textchat"; "", "/" and null mean the root context "". */
    static String normalizeContextPath(String contextPath) {
        String path = contextPath == null ? "" : contextPath.strip();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.isEmpty()) {
            return "";
        }
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        if (!path.matches("(/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)+")) {
            throw new IllegalArgumentException("tyrus.contextPath is not a valid URL path: " + contextPath);
        }
        return path;
    }

    /** Whether the host means "all interfaces". */
    boolean wildcardHost() {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    /** The address to type into a browser: a wildcard bind address is reached through the loopback. */
    String urlHost() {
        String h = wildcardHost() ? "127.0.0.1" : host;
        return h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h;
    }

    /** The page to open, for the port actually bound. */
    public String pageUrl(int boundPort) {
        return "http://" + urlHost() + ":" + boundPort + contextPath + "/";
    }

    /** The WebSocket address of an endpoint path such as "/signal". */
    String webSocketUrl(int boundPort, String endpointPath) {
        return "ws://" + urlHost() + ":" + boundPort + contextPath + endpointPath;
    }

    /** The options as the -D properties that set them, for the start-up banner. */
    List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("tyrus.host=" + host + (wildcardHost() ? " (all interfaces)" : ""));
        lines.add("tyrus.port=" + port + (port == 0 ? " (any free port)" : ""));
        lines.add("tyrus.contextPath=" + (contextPath.isEmpty() ? "/" : contextPath));
        lines.add("tyrus.webappDir=" + webappDir);
        lines.add("tyrus.stopAfter=" + stopAfter + (stopAfter == 0 ? " (run until Ctrl-C)" : " seconds"));
        return lines;
    }
}
