package local.textchat.support;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A cluster node in a JVM of its own, for the one thing a node in the test JVM cannot do
 * honestly: die. {@link #kill} is {@code kill -9}: no close frames, no goodbye to the cluster,
 * its lease simply stops being renewed. Its output goes to {@code target/node-N.log}. Like every
 * {@link ChildProcess} it cannot outlive the test JVM: it stops when its standard input ends.
 */
public final class NodeProcess implements AutoCloseable {

    private final ChildProcess process;
    private final int port;

    private NodeProcess(ChildProcess process, int port) {
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
        Path log = Path.of("target", "node-" + System.nanoTime() + ".log");
        ChildProcess process = ChildProcess.start("node", command, Map.of(), Path.of("").toAbsolutePath(), log, true);
        try {
            String line = process.nextLine(Duration.ofSeconds(60), "PORT ");
            return new NodeProcess(process, Integer.parseInt(line.substring(5).trim()));
        } catch (RuntimeException e) {
            process.kill();
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
        process.kill();
    }

    @Override
    public void close() {
        kill();
    }

    /**
     * The child's main: {@code REDIS_URL [key=value ...]}; prints {@code PORT n} once ready, then
     * runs until killed or until its standard input ends (the test JVM is gone).
     */
    public static void main(String[] args) throws IOException {
        Map<String, String> settings = new java.util.HashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        ClusterServer node = ClusterServer.start(args[0], settings);
        System.out.println("PORT " + node.port());
        System.out.flush();
        while (System.in.read() >= 0) {
            // nothing is ever sent; the end of input is the signal
        }
        node.close();
        System.exit(0);
    }
}
