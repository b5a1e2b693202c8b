package local.textchat.browser;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

import local.textchat.tyrus.DevServer;
import local.textchat.tyrus.Options;
import local.textchat.tyrus.StaticFiles;

/**
 * A signaling server that lies (test code only, never in the WAR): it speaks enough of
 * docs/PROTOCOL.md for the real page (login, presence, ping, who) but hands every call's
 * offer, answer, candidate, leave and decline to a third page, mallory, which answers each
 * side in the other's name. The page it serves is the real one, from the same files, so that a
 * test can put it on the port where the honest server stood: same origin, same stored identity.
 *
 * <p>Mallory's page connects to the same {@code /signal}, sends {@code {"type":"mallory"}},
 * then receives {@code {"type":"relay","from":name,"message":{…}}} for each call message and
 * sends {@code {"type":"inject","to":name,"message":{…}}} to have a message delivered as is.
 */
@ServerEndpoint("/signal")
public class DishonestSignaling {

    private static final Logger LOG = Logger.getLogger(DishonestSignaling.class.getName());
    private static final Set<String> CALL_MESSAGES = Set.of("offer", "answer", "candidate", "leave", "decline");
    private static final Path WEBAPP = Path.of("src/main/webapp");

    /** Logged-in pages by lower-cased name; one deployment per test at a time. */
    private static final Map<String, Session> USERS = new ConcurrentHashMap<>();
    private static volatile Session mallory;

    /** Serves the page and this endpoint on 127.0.0.1:{@code port} (0: any free port). */
    static Running serve(int port) throws IOException, DeploymentException {
        USERS.clear();
        mallory = null;
        ClassLoader loader = DishonestSignaling.class.getClassLoader();
        Options options = new Options("127.0.0.1", port, WebappServer.CONTEXT, WEBAPP, 0);
        DevServer server = DevServer.start(options, Set.of(DishonestSignaling.class),
                new StaticFiles(WebappServer.CONTEXT, WEBAPP, loader), loader);
        return new Running(server, URI.create(options.pageUrl(server.port())));
    }

    record Running(DevServer server, URI page) implements AutoCloseable {
        /** Where mallory's page connects. */
        String signalUrl() {
            return "ws://" + page.getAuthority() + WebappServer.CONTEXT + "/signal";
        }

        @Override
        public void close() {
            server.close();
        }
    }

    @OnMessage
    public void onMessage(String text, Session session) {
        JsonObject message;
        try (var reader = Json.createReader(new StringReader(text))) {
            message = reader.readObject();
        } catch (RuntimeException e) {
            return;
        }
        String type = message.getString("type", "");
        String self = (String) session.getUserProperties().get("name");
        switch (type) {
            case "mallory" -> mallory = session;
            case "login" -> login(session, message.getString("name", ""));
            case "ping" -> send(session, Json.createObjectBuilder().add("type", "pong")
                    .add("id", message.getOrDefault("id", JsonValue.NULL)).build());
            case "who" -> send(session, Json.createObjectBuilder().add("type", "who").add("prefix", "")
                    .add("users", Json.createArrayBuilder(othersThan(self))).add("total", othersThan(self).size()).build());
            case "inject" -> {
                Session to = USERS.get(message.getString("to").toLowerCase());
                if (to != null) {
                    send(to, message.getJsonObject("message"));
                }
            }
            default -> {
                Session relay = mallory;
                if (CALL_MESSAGES.contains(type) && self != null && relay != null) {
                    send(relay, Json.createObjectBuilder().add("type", "relay").add("from", self).add("message", message).build());
                }
            }
        }
    }

    private static void login(Session session, String name) {
        List<String> others = othersThan(name);
        USERS.put(name.toLowerCase(), session);
        session.getUserProperties().put("name", name);
        send(session, Json.createObjectBuilder()
                .add("type", "login").add("success", true).add("name", name)
                .add("users", Json.createArrayBuilder(others)).add("usersTotal", others.size())
                .add("iceServers", Json.createArrayBuilder()).add("iceTransportPolicy", "all")
                .add("token", "not-a-real-token").build());
        JsonObject online = Json.createObjectBuilder().add("type", "online").add("name", name).build();
        USERS.forEach((key, other) -> {
            if (other != session) {
                send(other, online);
            }
        });
    }

    @OnClose
    public void onClose(Session session, CloseReason reason) {
        if (session == mallory) {
            mallory = null;
        }
        String name = (String) session.getUserProperties().get("name");
        if (name != null && USERS.remove(name.toLowerCase(), session)) {
            JsonObject offline = Json.createObjectBuilder().add("type", "offline").add("name", name).build();
            USERS.values().forEach(other -> send(other, offline));
        }
    }

    private static List<String> othersThan(String name) {
        return USERS.values().stream()
                .map(s -> (String) s.getUserProperties().get("name"))
                .filter(n -> n != null && !n.equalsIgnoreCase(name))
                .sorted()
                .toList();
    }

    private static void send(Session to, JsonObject message) {
        synchronized (to) {
            try {
                if (to.isOpen()) {
                    to.getBasicRemote().sendText(message.toString());
                }
            } catch (IOException e) {
                LOG.log(Level.INFO, "dishonest signaling: could not send to a page: {0}", e.toString());
            }
        }
    }
}
