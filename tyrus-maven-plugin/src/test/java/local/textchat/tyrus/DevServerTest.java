package local.textchat.tyrus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import local.textchat.tyrus.fixture.EchoEndpoint;
import local.textchat.tyrus.fixture.StartListener;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** End to end, on 127.0.0.1 only: the server as tyrus:run starts it, with a real HTTP and WebSocket client. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DevServerTest {

    @TempDir
    static Path tmp;

    static Path webapp;
    static URLClassLoader appLoader;
    static DevServer server;
    static Options options;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        webapp = Files.createDirectories(tmp.resolve("webapp"));
        Files.writeString(webapp.resolve("index.html"), "<!doctype html><title>chat</title>");
        Files.createDirectories(webapp.resolve("js"));
        Files.writeString(webapp.resolve("js/app.js"), "export const version = 1;");
        // the application's class loader: the test class path plus a directory holding marker.txt, which the
        // echo endpoint looks up through its thread's context class loader
        Path extra = Files.createDirectories(tmp.resolve("extra"));
        Files.writeString(extra.resolve("marker.txt"), "x");
        appLoader = new URLClassLoader(new URL[] {extra.toUri().toURL()}, DevServerTest.class.getClassLoader());

        options = new Options("127.0.0.1", 0, "/ctx", webapp, 0);
        Set<Class<?>> classes = EndpointScannerTest.fixtures(); // endpoints, a config, a listener, filter and servlet
        server = DevServer.start(options, classes, new StaticFiles("/ctx", webapp, appLoader), appLoader,
                new DevServer.Extras(Map.of("fixture.given", "by the embedder"), List.of()));
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) {
            server.close();
            assertEquals("stopped", StartListener.EVENTS.get(StartListener.EVENTS.size() - 1),
                    "the listener is told when the server stops");
        }
        if (appLoader != null) {
            appLoader.close();
        }
    }

    @Test
    void servesThePageWithItsContentType() throws Exception {
        HttpResponse<String> page = get("/ctx/");
        assertEquals(200, page.statusCode());
        assertEquals("text/html;charset=utf-8", page.headers().firstValue("Content-Type").orElse(""));
        assertEquals("<!doctype html><title>chat</title>", page.body());
        assertEquals("no-cache", page.headers().firstValue("Cache-Control").orElse(""));

        // java.net.http asks for "Upgrade: h2c" by default, a browser does not: both get the content type
        HttpClient http11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> plain = http11.send(HttpRequest.newBuilder(uri("http", "/ctx/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("text/html;charset=utf-8", plain.headers().firstValue("Content-Type").orElse(""));

        HttpResponse<String> js = get("/ctx/js/app.js");
        assertEquals(200, js.statusCode());
        assertEquals("text/javascript;charset=utf-8", js.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void theApplicationsListenersFiltersAndServletsRunAsInAContainer() throws Exception {
        assertEquals(List.of("started /ctx"), StartListener.EVENTS);
        HttpResponse<String> status = get("/ctx/status");
        assertEquals(200, status.statusCode());
        assertEquals("started=yes given=by the embedder", status.body());
        assertEquals("seen", status.headers().firstValue("X-Fixture-Filter").orElse(""));
        // Static files are served behind the filters too, as a container's default servlet is.
        HttpResponse<String> page = get("/ctx/");
        assertEquals("seen", page.headers().firstValue("X-Fixture-Filter").orElse(""));
        assertEquals("seen", get("/ctx/missing.js").headers().firstValue("X-Fixture-Filter").orElse(""));
    }

    @Test
    void anEditShowsOnTheNextRequest() throws Exception {
        Files.writeString(webapp.resolve("live.css"), "a { color: red }");
        assertEquals("a { color: red }", get("/ctx/live.css").body());
        Files.writeString(webapp.resolve("live.css"), "a { color: blue }");
        assertEquals("a { color: blue }", get("/ctx/live.css").body());
    }

    @Test
    void servesWebJarsFromTheClassPath() throws Exception {
        HttpResponse<String> css = get("/ctx/webjars/demo/1.0/demo.css");
        assertEquals(200, css.statusCode());
        assertEquals("text/css;charset=utf-8", css.headers().firstValue("Content-Type").orElse(""));
        assertEquals(".demo { color: teal; }\n", css.body());
    }

    @Test
    void missingTraversalAndRedirects() throws Exception {
        assertEquals(404, get("/ctx/missing.js").statusCode());
        assertEquals(404, get("/elsewhere/").statusCode());
        int traversal = get("/ctx/%2e%2e/%2e%2e/etc/passwd").statusCode();
        assertTrue(traversal == 404 || traversal == 400, "traversal answered " + traversal);
        HttpResponse<String> redirect = get("/ctx");
        assertEquals(302, redirect.statusCode());
        assertEquals("/ctx/", redirect.headers().firstValue("Location").orElse(""));
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri("http", "/ctx/"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
    }

    @Test
    void webSocketEchoesOnTheSamePort() throws Exception {
        assertEquals("echo:hello (app loader)", exchange("/ctx/echo", "hello"));
    }

    @Test
    void serverApplicationConfigIsHonoured() throws Exception {
        assertEquals("HI", exchange("/ctx/shout", "hi"));
    }

    @Test
    void bindsOnlyTheRequestedAddress() throws Exception {
        // 127.0.0.2 is loopback too, but the server listens on 127.0.0.1 alone
        try (Socket ok = new Socket()) {
            ok.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
        }
        assertThrows(IOException.class, () -> {
            try (Socket refused = new Socket()) {
                refused.connect(new InetSocketAddress("127.0.0.2", server.port()), 2000);
            }
        });
    }

    @Test
    void aPortInUseIsABindException() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Options busy = new Options("127.0.0.1", taken.getLocalPort(), "/ctx", webapp, 0);
            BindException e = assertThrows(BindException.class, () -> DevServer.start(busy,
                    Set.of(EchoEndpoint.class), new StaticFiles("/ctx", webapp, appLoader), appLoader).close());
            assertTrue(RunMojo.bindFailure(busy, e).startsWith("Port " + taken.getLocalPort() + " on 127.0.0.1 is already in use"),
                    RunMojo.bindFailure(busy, e));
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("http", path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static URI uri(String scheme, String path) {
        return URI.create(scheme + "://127.0.0.1:" + server.port() + path);
    }

    /** Sends one text message and returns the first text reply. */
    private static String exchange(String path, String message) throws Exception {
        CompletableFuture<String> reply = new CompletableFuture<>();
        WebSocket ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri("ws", path), new WebSocket.Listener() {
                    final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            reply.complete(text.toString());
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        reply.completeExceptionally(error);
                    }
                }).get(10, TimeUnit.SECONDS);
        try {
            ws.sendText(message, true).get(10, TimeUnit.SECONDS);
            return reply.get(10, TimeUnit.SECONDS);
        } finally {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        }
    }
}
