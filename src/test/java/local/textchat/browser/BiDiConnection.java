package local.textchat.browser;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * A WebDriver BiDi connection (https://w3c.github.io/webdriver-bidi/) to one browser's
 * {@code ws://…/session} endpoint, on java.net.http.WebSocket: commands with ids and their
 * replies, and events by method name. Just what the Firefox tests need; no WebDriver classic.
 */
final class BiDiConnection implements AutoCloseable {

    /** A command the browser answered with an error. */
    static final class BiDiException extends RuntimeException {
        final String error;

        BiDiException(String method, String error, String message) {
            super(method + ": " + error + ": " + message);
            this.error = error;
        }
    }

    private static final Duration COMMAND_PATIENCE = Duration.ofSeconds(60);

    private final WebSocket socket;
    private final Map<Long, CompletableFuture<JsonObject>> pending;
    private final Map<String, List<Consumer<JsonObject>>> listeners;
    private final AtomicLong ids = new AtomicLong();

    private BiDiConnection(WebSocket socket, Map<Long, CompletableFuture<JsonObject>> pending,
            Map<String, List<Consumer<JsonObject>>> listeners) {
        this.socket = socket;
        this.pending = pending;
        this.listeners = listeners;
    }

    static BiDiConnection open(URI endpoint) {
        Map<Long, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
        Map<String, List<Consumer<JsonObject>>> listeners = new ConcurrentHashMap<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(endpoint, new Reader(pending, listeners))
                .orTimeout(15, TimeUnit.SECONDS)
                .join();
        return new BiDiConnection(socket, pending, listeners);
    }

    /** Sends {@code method} with {@code params} and waits for its result. */
    JsonObject call(String method, JsonObject params) {
        long id = ids.incrementAndGet();
        CompletableFuture<JsonObject> reply = new CompletableFuture<>();
        pending.put(id, reply);
        String command = Json.createObjectBuilder()
                .add("id", id).add("method", method).add("params", params)
                .build().toString();
        try {
            // One frame at a time: WebSocket refuses a send while the previous one is under way.
            synchronized (socket) {
                socket.sendText(command, true).get(10, TimeUnit.SECONDS);
            }
            JsonObject message = reply.get(COMMAND_PATIENCE.toSeconds(), TimeUnit.SECONDS);
            if ("error".equals(message.getString("type", ""))) {
                throw new BiDiException(method, message.getString("error", "?"), message.getString("message", ""));
            }
            return message.getJsonObject("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(method + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(method + " got no answer within " + COMMAND_PATIENCE, e);
        } finally {
            pending.remove(id);
        }
    }

    /** Calls {@code listener} with the params of every event named {@code method}. */
    void onEvent(String method, Consumer<JsonObject> listener) {
        listeners.computeIfAbsent(method, key -> new CopyOnWriteArrayList<>()).add(listener);
    }

    @Override
    public void close() {
        socket.abort();
        pending.values().forEach(reply -> reply.completeExceptionally(new IllegalStateException("connection closed")));
    }

    /** Joins frames into messages and hands each to its waiting command or its event listeners. */
    private static final class Reader implements WebSocket.Listener {
        private final Map<Long, CompletableFuture<JsonObject>> pending;
        private final Map<String, List<Consumer<JsonObject>>> listeners;
        private final StringBuilder partial = new StringBuilder();

        Reader(Map<Long, CompletableFuture<JsonObject>> pending, Map<String, List<Consumer<JsonObject>>> listeners) {
            this.pending = pending;
            this.listeners = listeners;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                dispatch(Json.createReader(new StringReader(text)).readObject());
            }
            socket.request(1);
            return null;
        }

        private void dispatch(JsonObject message) {
            if (message.containsKey("id") && !message.isNull("id")) {
                CompletableFuture<JsonObject> reply = pending.get(message.getJsonNumber("id").longValue());
                if (reply != null) {
                    reply.complete(message);
                }
            } else if ("event".equals(message.getString("type", ""))) {
                for (Consumer<JsonObject> listener : listeners.getOrDefault(message.getString("method"), List.of())) {
                    try {
                        listener.accept(message.getJsonObject("params"));
                    } catch (RuntimeException e) {
                        System.err.println("BiDi event listener failed on " + message + ": " + e);
                    }
                }
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            pending.values().forEach(reply -> reply.completeExceptionally(
                    new IllegalStateException("BiDi connection closed: " + statusCode + " " + reason)));
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            pending.values().forEach(reply -> reply.completeExceptionally(error));
        }
    }
}
