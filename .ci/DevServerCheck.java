import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client half of .ci/devserver-check.sh, run as {@code java .ci/DevServerCheck.java PAGE_URL [EXPECT]}:
 * loads the page (200, text/html), the first script it references (200, text/javascript), then logs in over
 * the WebSocket at PAGE_URL + "signal" and expects {@code "success":true} (and EXPECT, if given, in the reply).
 * Talks to the given URL only, which the script points at 127.0.0.1. Prints one line per check; exits 1 on
 * the first failure.
 */
public class DevServerCheck {

    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || !args[0].endsWith("/")) {
            fail("usage: java DevServerCheck.java http://127.0.0.1:PORT/textchat/ [text expected in the login reply]");
        }
        URI page = URI.create(args[0]);

        HttpResponse<String> html = get(page, "text/html");
        // The application's own servlet filter and servlet run under tyrus:run as in a container.
        String csp = html.headers().firstValue("Content-Security-Policy").orElse("");
        if (!csp.contains("script-src 'self'")) {
            fail("the page came without the application's Content-Security-Policy (its filters did not run): " + csp);
        }
        System.out.println("ok   the page has the application's security headers");
        HttpResponse<String> health = get(page.resolve("health"), "application/json");
        if (!health.body().contains("\"status\":\"up\"")) {
            fail("/health answered " + health.body());
        }
        Matcher script = Pattern.compile("<script[^>]*\\ssrc=\"([^\"]+\\.m?js)\"").matcher(html.body());
        if (script.find()) {
            get(page.resolve(script.group(1)), "text/javascript");
        } else {
            System.out.println("ok   no <script src> in the page, JS check skipped");
        }

        URI signal = URI.create(page.toString().replaceFirst("^http", "ws") + "signal");
        String reply = login(signal);
        if (!reply.contains("\"success\":true")) {
            fail("login at " + signal + " answered without \"success\":true: " + reply);
        }
        if (args.length > 1 && !reply.contains(args[1])) {
            fail("login reply lacks " + args[1] + " (a -D setting did not reach the app): " + reply);
        }
        System.out.println("ok   WebSocket login at " + signal + ": " + abbreviate(reply));
    }

    static HttpResponse<String> get(URI uri, String expectedType) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        String type = response.headers().firstValue("Content-Type").orElse("(none)");
        if (response.statusCode() != 200 || !type.startsWith(expectedType)) {
            fail("GET " + uri + " answered " + response.statusCode() + " " + type + ", expected 200 " + expectedType);
        }
        System.out.println("ok   GET " + uri + " 200 " + type + " (" + response.body().length() + " chars)");
        return response;
    }

    static String login(URI signal) throws Exception {
        CompletableFuture<String> reply = new CompletableFuture<>();
        WebSocket ws = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(signal, new WebSocket.Listener() {
                    final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            reply.complete(text.toString());
                        }
                        socket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
                        reply.completeExceptionally(new IllegalStateException("closed " + code + " " + reason));
                        return null;
                    }

                    @Override
                    public void onError(WebSocket socket, Throwable error) {
                        reply.completeExceptionally(error);
                    }
                }).get(15, TimeUnit.SECONDS);
        ws.sendText("{\"type\":\"login\",\"name\":\"devcheck\"}", true).get(10, TimeUnit.SECONDS);
        try {
            return reply.get(15, TimeUnit.SECONDS);
        } finally {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "devcheck done").get(10, TimeUnit.SECONDS);
        }
    }

    static String abbreviate(String s) {
        return s.length() > 160 ? s.substring(0, 160) + "..." : s;
    }

    static void fail(String message) {
        System.out.println("FAIL " + message);
        System.exit(1);
    }
}
