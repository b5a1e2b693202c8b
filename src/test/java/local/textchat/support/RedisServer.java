package local.textchat.support;


import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.time.Duration;


/**
 * A real {@code redis-server} for one test class: 127.0.0.1, a free port, nothing persisted, its
 * log in {@code target/redis-PORT.log}; stopped by its PID. Without {@code redis-server} on this
 * machine the test is skipped, except under {@code CI=true}, where it fails ({@code .ci/run}
 * installs it).
 */
public final class RedisServer implements AutoCloseable {

    private final String binary;
    private final int port;
    private ServiceProcess process;

    private RedisServer(String binary, int port) {
        this.binary = binary;
        this.port = port;
    }

    public static RedisServer start() {
        String binary = locate();
        Dependencies.require(binary != null, "redis-server is not installed (apt-get install redis-server; .ci/run does it)");
        RedisServer redis = new RedisServer(binary, freePort());
        redis.startProcess();
        return redis;
    }

    /** {@code redis://127.0.0.1:PORT}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** Stop it (SIGTERM by PID, nothing saved) and wait until it has exited. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.stop();
        process = null;
    }

    /** Start it again on the same port, empty (as after a crash without persistence). */
    public void restart() {
        stop();
        startProcess();
    }

    /** Send one command in the inline protocol and return the first reply line (for checks in tests). */
    public String command(String inline) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder reply = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                if (c != '\r') {
                    reply.append((char) c);
                }
            }
            if (reply.charAt(0) == '$' && !reply.toString().equals("$-1")) {
                reply.setLength(0);
                while ((c = in.read()) != -1 && c != '\n') {
                    if (c != '\r') {
                        reply.append((char) c);
                    }
                }
            }
            return reply.toString();
        } catch (IOException e) {
            throw new IllegalStateException("redis command failed: " + inline, e);
        }
    }

    /** The keys matching {@code pattern} ({@code KEYS}: for tests only). */
    public java.util.List<String> keys(String pattern) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("KEYS " + pattern + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            java.io.BufferedReader in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            int n = Integer.parseInt(in.readLine().substring(1));
            java.util.List<String> keys = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                in.readLine();
                keys.add(in.readLine());
            }
            return keys;
        } catch (IOException e) {
            throw new IllegalStateException("redis KEYS failed", e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void startProcess() {
        process = ServiceProcess.start(List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes"),
                Path.of("target", "redis-" + port + ".log"), this::answersPing, Duration.ofSeconds(10));
    }

    private boolean answersPing() {
        try {
            return "+PONG".equals(command("PING"));
        } catch (IllegalStateException notListeningYet) {
            return false;
        }
    }

    private static String locate() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return Files.isExecutable(Path.of("/usr/bin/redis-server")) ? "/usr/bin/redis-server" : null;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
