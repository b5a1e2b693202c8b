package local.textchat.support;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A cluster node in a JVM of its own, for the one thing a node in the test JVM cannot do
 * honestly: die. {@link #kill} is {@code kill -9}: no close frames, no goodbye to the cluster,
 * its lease simply stops being renewed. Its output goes to {@code target/node-PORT.log}.
 */
public final class NodeProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private NodeProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Start a node of the cluster at {@code redisUrl}; returns once it listens and has joined. */
    public static NodeProcess start(String redisUrl, Map<String, String> settings) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(NodeProcess.class.getName());
        command.add(redisUrl);
        settings.forEach((k, v) -> command.add(k + "=" + v));
        File log = Path.of("target", "node-" + System.nanoTime() + ".log").toFile();
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log)).start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start a node JVM", e);
        }
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("PORT ")) {
                        return Integer.parseInt(line.substring(5).trim());
                    }
                }
            } catch (IOException e) {
                // fall through
            }
            throw new IllegalStateException("the node JVM exited before it listened; see " + log);
        });
        try {
            return new NodeProcess(process, port.get(60, TimeUnit.SECONDS));
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("the node JVM did not start; see " + log, e);
        }
    }

    public URI signalUri() {
        return URI.create("ws://127.0.0.1:" + port + "/textchat/signal");
    }

    public WsClient login(String name) {
        WsClient client = WsClient.connect(signalUri());
        client.login(name);
        return client;
    }

    /** SIGKILL, and wait until it is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }

    /** The child's main: {@code REDIS_URL [key=value ...]}; prints {@code PORT n} once ready, then runs until killed. */
    public static void main(String[] args) throws InterruptedException {
        Map<String, String> settings = new java.util.HashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        ClusterServer node = ClusterServer.start(args[0], settings);
        System.out.println("PORT " + node.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
