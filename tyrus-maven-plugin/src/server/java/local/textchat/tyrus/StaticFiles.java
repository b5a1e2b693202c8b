package local.textchat.tyrus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps request paths to static files, the way a servlet container serves a WAR: first the webapp directory
 * (read on every request, so an edit shows on the next refresh), then {@code META-INF/resources/} on the
 * application's class path (WebJars). Nothing outside those two roots is reachable, nor WEB-INF/ or META-INF/.
 */
public final class StaticFiles {

    static final String CLASSPATH_ROOT = "META-INF/resources/";

    /** Content types by file extension; text types carry their charset. */
    private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
            Map.entry("html", "text/html;charset=utf-8"),
            Map.entry("htm", "text/html;charset=utf-8"),
            Map.entry("js", "text/javascript;charset=utf-8"),
            Map.entry("mjs", "text/javascript;charset=utf-8"),
            Map.entry("css", "text/css;charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("webmanifest", "application/manifest+json"),
            Map.entry("txt", "text/plain;charset=utf-8"),
            Map.entry("md", "text/markdown;charset=utf-8"),
            Map.entry("xml", "application/xml"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("avif", "image/avif"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("ttf", "font/ttf"),
            Map.entry("otf", "font/otf"),
            Map.entry("eot", "application/vnd.ms-fontobject"),
            Map.entry("wasm", "application/wasm"),
            Map.entry("mp3", "audio/mpeg"),
            Map.entry("ogg", "audio/ogg"),
            Map.entry("wav", "audio/wav"),
            Map.entry("mp4", "video/mp4"),
            Map.entry("webm", "video/webm"),
            Map.entry("pdf", "application/pdf"));

    private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

    /** The outcome of a lookup: a file to send, a redirect, or nothing. */
    record Lookup(int status, URL resource, String contentType, String location) {
        static Lookup found(URL resource, String name) {
            return new Lookup(200, resource, StaticFiles.contentType(name), null);
        }

        static Lookup redirect(String location) {
            return new Lookup(302, null, null, location);
        }

        static Lookup notFound() {
            return new Lookup(404, null, null, null);
        }
    }

    private final String contextPath;
    private final Path webappDir;
    private final ClassLoader classPath;

    /**
     * @param contextPath normalized context path ("" or "/name"), see {@link Options#normalizeContextPath}
     * @param webappDir   the webapp source directory; need not exist
     * @param classPath   where {@code META-INF/resources/} is looked up
     */
    public StaticFiles(String contextPath, Path webappDir, ClassLoader classPath) {
        this.contextPath = contextPath;
        this.webappDir = webappDir.toAbsolutePath().normalize();
        this.classPath = classPath;
    }

    static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return CONTENT_TYPES.getOrDefault(ext, DEFAULT_CONTENT_TYPE);
    }

    /**
     * Looks up a request path as sent by the client (percent-encoded, without the query string).
     */
    Lookup lookup(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            return Lookup.notFound();
        }
        if (rawPath.equals(contextPath) || (rawPath.equals("/") && !contextPath.isEmpty())) {
            return Lookup.redirect(contextPath + "/");
        }
        if (!rawPath.startsWith(contextPath + "/")) {
            return Lookup.notFound();
        }
        List<String> segments = segments(rawPath.substring(contextPath.length()));
        if (segments == null) {
            return Lookup.notFound();
        }
        boolean directoryRequest = rawPath.endsWith("/");
        String relative = String.join("/", segments);

        Lookup found = fromWebapp(segments, relative, directoryRequest, rawPath);
        return found != null ? found : fromClassPath(relative, directoryRequest, rawPath);
    }

    /**
     * Splits a decoded path into its segments; null when it is refused: ".." anywhere, a backslash, a NUL,
     * a malformed escape, or a first segment WEB-INF/META-INF (never served by a servlet container either).
     */
    static List<String> segments(String rawPath) {
        String path = percentDecode(rawPath);
        if (path == null || path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0) {
            return null;
        }
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                return null;
            }
            segments.add(segment);
        }
        if (!segments.isEmpty()) {
            String first = segments.get(0).toUpperCase(Locale.ROOT);
            if (first.equals("WEB-INF") || first.equals("META-INF")) {
                return null;
            }
        }
        return segments;
    }

    /** Decodes %XX escapes as UTF-8 ('+' stays '+', as it should in a path); null when malformed. */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private Lookup fromWebapp(List<String> segments, String relative, boolean directoryRequest, String rawPath) {
        Path file = webappDir;
        for (String segment : segments) {
            file = file.resolve(segment);
        }
        file = file.normalize();
        if (!file.startsWith(webappDir)) { // cannot happen after segments(), kept as a second guard
            return Lookup.notFound();
        }
        if (Files.isDirectory(file)) {
            Path index = file.resolve("index.html");
            if (!Files.isRegularFile(index)) {
                return null;
            }
            return directoryRequest ? found(index, "index.html") : Lookup.redirect(rawPath + "/");
        }
        if (!directoryRequest && Files.isRegularFile(file)) {
            return found(file, relative);
        }
        return null;
    }

    private static Lookup found(Path file, String name) {
        try {
            return Lookup.found(file.toUri().toURL(), name);
        } catch (IOException e) {
            return Lookup.notFound();
        }
    }

    private Lookup fromClassPath(String relative, boolean directoryRequest, String rawPath) {
        String dir = relative.isEmpty() ? CLASSPATH_ROOT : CLASSPATH_ROOT + relative + "/";
        if (directoryRequest) {
            URL index = classPath.getResource(dir + "index.html");
            return index != null ? Lookup.found(index, "index.html") : Lookup.notFound();
        }
        URL url = classPath.getResource(CLASSPATH_ROOT + relative);
        if (url == null) {
            return Lookup.notFound();
        }
        if (isDirectory(url)) {
            return classPath.getResource(dir + "index.html") != null
                    ? Lookup.redirect(rawPath + "/") : Lookup.notFound();
        }
        return Lookup.found(url, relative);
    }

    /** Class loaders also return directories, from a directory or a jar entry ending in '/'. */
    private static boolean isDirectory(URL url) {
        try {
            switch (url.getProtocol()) {
                case "file":
                    return Files.isDirectory(Path.of(url.toURI()));
                case "jar":
                    return ((JarURLConnection) url.openConnection()).getJarEntry().isDirectory();
                default:
                    return url.getPath().endsWith("/");
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return true; // not something to serve
        }
    }
}
