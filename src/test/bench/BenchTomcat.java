import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;

import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;

/**
 * The benchmark's server (bench/compare.sh; never part of the WAR or the tests): embedded Tomcat
 * on 127.0.0.1 and a free port, run in source-file mode, {@code java -cp <tomcat jars>
 * BenchTomcat.java <war> <base dir> [key=value ...]} ({@code connector.<attribute>=value} sets an
 * attribute of the HTTP connector, as in server.xml; {@code executor=inline}, an experiment, makes
 * the connector run each socket's work on the poller thread that saw it ready instead of handing
 * it to a worker thread: what those hand-offs cost, measured. Not safe for a deployment: a
 * blocking write there, e.g. a servlet response to a slow client or Tomcat's blocking close
 * frame, waits for the very thread it blocks), with
 * <ul>
 * <li>{@code /textchat}: the unchanged WAR, the {@code key=value}s as its context parameters;</li>
 * <li>{@code /raw/signal}: a raw pass-through on the same Tomcat, the floor that the codec and
 *     registry are compared with: a login puts the socket in a map under its name, any other frame
 *     goes unchanged to the socket named by its {@code "name"} field (found by a string search,
 *     no JSON parse), written with the asynchronous send one after another, as textchat writes.</li>
 * </ul>
 * Prints {@code port N} when both answer; stops at the end of standard input.
 */
public class BenchTomcat {

    public static void main(String[] args) throws Exception {
        String war = new File(args[0]).getAbsolutePath();
        Path base = Path.of(args[1]).toAbsolutePath();
        Files.createDirectories(base.resolve("webapps"));
        Files.createDirectories(base.resolve("raw"));

        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.getHost().setAppBase(base.resolve("webapps").toString());
        tomcat.getHost().setAutoDeploy(false);
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("maxConnections", "50000");
        tomcat.setConnector(connector);

        Context textchat = tomcat.addWebapp("/textchat", war);
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            String key = args[i].substring(0, eq);
            String value = args[i].substring(eq + 1);
            if (key.equals("executor") && value.equals("inline")) {
                connector.getProtocolHandler().setExecutor(Runnable::run);
            } else if (key.startsWith("connector.")) {
                connector.setProperty(key.substring("connector.".length()), value);
            } else {
                textchat.addParameter(key, value);
            }
        }

        Context raw = tomcat.addContext("/raw", base.resolve("raw").toString());
        // A request must map to a servlet for the WebSocket filter to see it.
        Tomcat.addServlet(raw, "none", new jakarta.servlet.http.HttpServlet() {
        });
        raw.addServletMappingDecoded("/", "none");
        raw.addServletContainerInitializer((classes, servletContext) -> {
            new WsSci().onStartup(null, servletContext);
            ServerContainer container = (ServerContainer) servletContext.getAttribute(ServerContainer.class.getName());
            try {
                container.addEndpoint(ServerEndpointConfig.Builder.create(PassThrough.class, "/signal").build());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, null);

        tomcat.start();
        System.out.println("port " + connector.getLocalPort());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (in.readLine() != null) {
            // Nothing to do; end of input stops.
        }
        tomcat.stop();
        tomcat.destroy();
        System.exit(0);
    }

    /** The pass-through: no decode, no checks, no pairing; one map from name to socket. */
    public static final class PassThrough extends Endpoint {

        private static final Map<String, Session> BY_NAME = new ConcurrentHashMap<>();
        private String name;

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>) frame -> onFrame(session, frame));
        }

        private void onFrame(Session session, String frame) {
            String target = field(frame, "\"name\":\"");
            if (frame.contains("\"type\":\"login\"")) {
                name = target;
                BY_NAME.put(name, session);
                send(session, "{\"type\":\"login\",\"success\":true}");
                return;
            }
            Session to = target == null ? null : BY_NAME.get(target);
            if (to != null) {
                send(to, frame);
            }
        }

        private static String field(String frame, String key) {
            int at = frame.indexOf(key);
            if (at < 0) {
                return null;
            }
            int start = at + key.length();
            int end = frame.indexOf('"', start);
            return end < 0 ? null : frame.substring(start, end);
        }

        private static void send(Session to, String frame) {
            Queue queue = (Queue) to.getUserProperties().computeIfAbsent(Queue.class.getName(), key -> new Queue(to));
            queue.add(frame);
        }

        /**
         * A socket's frames, written one at a time with the asynchronous send (as any server must
         * that may not block its reader on a slow receiver, and as textchat does), nothing else.
         */
        private static final class Queue implements jakarta.websocket.SendHandler {
            private final Session session;
            private final java.util.ArrayDeque<String> waiting = new java.util.ArrayDeque<>();
            private boolean sending;

            Queue(Session session) {
                this.session = session;
            }

            void add(String frame) {
                synchronized (this) {
                    if (sending) {
                        waiting.add(frame);
                        return;
                    }
                    sending = true;
                }
                write(frame);
            }

            private void write(String frame) {
                try {
                    session.getAsyncRemote().sendText(frame, this);
                } catch (IllegalStateException e) {
                    onResult(new jakarta.websocket.SendResult(e));
                }
            }

            @Override
            public void onResult(jakarta.websocket.SendResult result) {
                String next;
                synchronized (this) {
                    next = result.isOK() ? waiting.poll() : null;
                    if (next == null) {
                        waiting.clear();
                        sending = false;
                        return;
                    }
                }
                write(next);
            }
        }

        @Override
        public void onClose(Session session, CloseReason reason) {
            if (name != null) {
                BY_NAME.remove(name, session);
            }
        }
    }
}
