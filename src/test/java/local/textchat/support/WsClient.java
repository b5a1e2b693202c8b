package local.textchat.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;

import org.glassfish.tyrus.client.ClientManager;

/**
 * A real WebSocket client (Tyrus) that records every text frame it receives and how its
 * socket closed, with blocking accessors that fail the test after a timeout.
 */
public final class WsClient implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final java.util.Set<String> PRESENCE = java.util.Set.of("online", "offline");

    private static final ClientManager CLIENTS = ClientManager.createClient();

    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    private volatile Session session;

    private WsClient() {
    }

    public static WsClient connect(URI uri) {
        return connect(uri, java.util.Map.of());
    }

    /** Connect with extra handshake request headers (e.g. {@code Authorization}). */
    public static WsClient connect(URI uri, java.util.Map<String, String> headers) {
        WsClient client = new WsClient();
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create()
                .configurator(new ClientEndpointConfig.Configurator() {
                    @Override
                    public void beforeRequest(java.util.Map<String, java.util.List<String>> request) {
                        headers.forEach((name, value) -> request.put(name, java.util.List.of(value)));
                    }
                })
                .build();
        try {
            client.session = CLIENTS.connectToServer(client.endpoint(), config, uri);
        } catch (Exception e) {
            throw new IllegalStateException("could not connect to " + uri, e);
        }
        try {
            // Let the tests send frames bigger than Tyrus's client default.
            client.session.setMaxTextMessageBufferSize(1 << 20);
        } catch (IllegalStateException closed) {
            // The server closed it straight after the handshake (a test of a refusal): awaitClose() tells.
        }
        return client;
    }

    private Endpoint endpoint() {
        return new Endpoint() {
            @Override
            public void onOpen(Session s, EndpointConfig config) {
                s.setMaxTextMessageBufferSize(1 << 20);
                s.addMessageHandler(String.class, (MessageHandler.Whole<String>) received::add);
            }

            @Override
            public void onClose(Session s, CloseReason reason) {
                closed.complete(reason);
            }

            @Override
            public void onError(Session s, Throwable failure) {
                closed.complete(new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, failure.toString()));
            }
        };
    }

    /** Send a text frame; {@link IllegalStateException} if the socket is closed or closes meanwhile. */
    public void send(String text) {
        try {
            session.getBasicRemote().sendText(text);
        } catch (IOException e) {
            throw new IllegalStateException("send failed", e);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Tyrus's client restarts the session's idle timer on each send; closed under it, it throws this.
            throw new IllegalStateException("the connection closed while sending", e);
        }
    }

    public void send(JsonObject json) {
        send(json.toString());
    }

    /** Send a binary frame; {@link IllegalStateException} if the socket is closed or closes meanwhile. */
    public void sendBinary(byte[] bytes) {
        try {
            session.getBasicRemote().sendBinary(ByteBuffer.wrap(bytes));
        } catch (IOException e) {
            throw new IllegalStateException("send failed", e);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // As in send(String): the server closed the socket while the frame was going out.
            throw new IllegalStateException("the connection closed while sending", e);
        }
    }

    /** Log in as {@code name} and check that it succeeded; returns the login reply. */
    public JsonObject login(String name) {
        send(Json.createObjectBuilder().add("type", "login").add("name", name).build());
        JsonObject reply = next("login");
        assertTrue(reply.getBoolean("success"), () -> "login as " + name + " failed: " + reply);
        return reply;
    }

    /** The next frame received, parsed. */
    public JsonObject next() {
        String text = nextText();
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    /** The next frame received, raw. */
    public String nextText() {
        try {
            String text = received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (text == null) {
                fail("no message within " + TIMEOUT);
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The next frame, which must have {@code "type": type}. Presence events ({@code online},
     * {@code offline}) of other users are skipped unless they are what is asked for.
     */
    public JsonObject next(String type) {
        JsonObject message = next();
        while (!PRESENCE.contains(type) && PRESENCE.contains(message.getString("type", ""))) {
            message = next();
        }
        JsonObject got = message;
        assertEquals(type, got.getString("type", null), () -> "expected a " + type + " message, got " + got);
        return got;
    }

    /** Skip frames until one matches; fails if none does within the timeout. */
    public JsonObject nextMatching(Predicate<JsonObject> wanted) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonObject message = next();
            if (wanted.test(message)) {
                return message;
            }
        }
        return fail("no matching message within " + TIMEOUT);
    }

    /** Skip frames until one matches; fails if none does within {@code seconds} (for waits longer than the timeout). */
    public JsonObject nextMatching(Predicate<JsonObject> wanted, long seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                String text = left <= 0 ? null : received.poll(left, TimeUnit.NANOSECONDS);
                if (text == null) {
                    return fail("no matching message within " + seconds + " s");
                }
                try (JsonReader reader = Json.createReader(new StringReader(text))) {
                    JsonObject message = reader.readObject();
                    if (wanted.test(message)) {
                        return message;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next frame, which must be an error with {@code code}. */
    public JsonObject nextError(String code) {
        JsonObject error = next("error");
        assertEquals(code, error.getString("code"), () -> "unexpected error " + error);
        assertNotNull(error.getString("message", null), "an error carries a human-readable message");
        return error;
    }

    /** Assert nothing arrives for {@code millis}. */
    public void expectSilence(long millis) {
        try {
            String text = received.poll(millis, TimeUnit.MILLISECONDS);
            if (text != null) {
                fail("expected no message, got " + text);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Round-trip a ping so that everything the server sent before its pong has arrived. */
    public void sync() {
        String id = "sync-" + System.nanoTime();
        send("{\"type\":\"ping\",\"id\":\"" + id + "\"}");
        nextMatching(m -> "pong".equals(m.getString("type", "")) && id.equals(m.getString("id", "")));
    }

    /** How the socket closed; fails if it does not close within the timeout. */
    public CloseReason awaitClose() {
        try {
            return closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return fail("socket did not close within " + TIMEOUT);
        }
    }

    public boolean isOpen() {
        return session.isOpen() && !closed.isDone();
    }

    /** Frames received and not yet read. */
    public int pending() {
        return received.size();
    }

    /** Closes with {@code code}, as a browser closes with 1001 when its page goes away. */
    public void close(int code, String reason) {
        try {
            session.close(new jakarta.websocket.CloseReason(jakarta.websocket.CloseReason.CloseCodes.getCloseCode(code), reason));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            if (session.isOpen()) {
                session.close();
            }
        } catch (IOException | IllegalStateException e) {
            // already closing
        }
    }
}
