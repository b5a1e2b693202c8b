package local.textchat.browser;


import java.io.File;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;


import local.textchat.support.Dependencies;
import local.textchat.support.ServiceProcess;

/**
 * A real coturn ({@code turnserver}) for one test: 127.0.0.1 on a free port (UDP and TCP), TURN
 * REST API credentials ({@code use-auth-secret}) with a random secret, its config and log under
 * {@code target/coturn-PORT/}; stopped (or killed) by its PID. Without {@code turnserver} the test
 * is skipped, except under {@code CI=true}, where it fails ({@code .ci/run} installs coturn).
 *
 * <p>The config is the README's minus TLS, plus what loopback needs: {@code relay-ip=127.0.0.1}
 * and {@code allow-loopback-peers} (the relayed addresses are loopback; without it coturn answers
 * every CreatePermission with 403 and ICE fails without a word). Neither belongs in production.
 */
final class Coturn implements AutoCloseable {

    private final String binary;
    private final int port;
    private final String secret;
    private final Path dir;
    private final boolean allowLoopbackPeers;
    private ServiceProcess process;

    private Coturn(String binary, int port, String secret, Path dir, boolean allowLoopbackPeers) {
        this.binary = binary;
        this.port = port;
        this.secret = secret;
        this.dir = dir;
        this.allowLoopbackPeers = allowLoopbackPeers;
    }

    /** A coturn that relays between loopback addresses: calls through it work. */
    static Coturn start() {
        return start(true);
    }

    /** A coturn as production runs it, which refuses to relay to loopback peers: no call can connect. */
    static Coturn startRefusingLoopbackPeers() {
        return start(false);
    }

    private static Coturn start(boolean allowLoopbackPeers) {
        String binary = locate();
        Dependencies.require(binary != null, "turnserver is not installed (apt-get install coturn; .ci/run does it)");
        int port = freePort();
        Path dir = Path.of("target", "coturn-" + port).toAbsolutePath();
        String secret = "turn-secret-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        Coturn coturn = new Coturn(binary, port, secret, dir, allowLoopbackPeers);
        coturn.writeConfig();
        coturn.startProcess();
        return coturn;
    }

    /** coturn's {@code static-auth-secret}: what textchat's {@code textchat.turnSecret} must be. */
    String secret() {
        return secret;
    }

    int port() {
        return port;
    }

    /** {@code turn:127.0.0.1:PORT?transport=udp} (or tcp). */
    String url(String transport) {
        return "turn:127.0.0.1:" + port + "?transport=" + transport;
    }

    /** Kills it at once (SIGKILL by PID), as a crash would: its allocations are simply gone. */
    void kill() {
        if (process == null) {
            return;
        }
        process.kill();
        process = null;
    }

    /** Starts it again with the same config and port, empty (no allocations). */
    void restart() {
        kill();
        startProcess();
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.stop();
        process = null;
    }

    private void writeConfig() {
        String config = String.join("\n",
                "listening-ip=127.0.0.1",
                "listening-port=" + port,
                "relay-ip=127.0.0.1",
                "realm=textchat.test",
                "use-auth-secret",
                "static-auth-secret=" + secret,
                "fingerprint",
                "no-tls",
                "no-dtls",
                "no-cli",
                allowLoopbackPeers ? "allow-loopback-peers" : "",
                // Debian's default logs to syslog and keeps its state under /var: keep both here.
                "log-file=stdout",
                "pidfile=" + dir.resolve("turnserver.pid"),
                "userdb=" + dir.resolve("turndb"),
                "");
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("turnserver.conf"), config, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("could not write the coturn config in " + dir, e);
        }
    }

    private void startProcess() {
        process = ServiceProcess.start(List.of(binary, "-c", dir.resolve("turnserver.conf").toString()),
                dir.resolve("turnserver.log"), () -> answersOverUdp() && acceptsTcp(), Duration.ofSeconds(10));
    }

    /** A STUN Binding request (RFC 5389) over UDP gets a success response with the same transaction id. */
    private boolean answersOverUdp() {
        byte[] transaction = new byte[12];
        ThreadLocalRandom.current().nextBytes(transaction);
        ByteBuffer request = ByteBuffer.allocate(20).putShort((short) 0x0001).putShort((short) 0)
                .putInt(0x2112A442).put(transaction);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(200);
            socket.send(new DatagramPacket(request.array(), 20, InetAddress.getLoopbackAddress(), port));
            DatagramPacket reply = new DatagramPacket(new byte[1500], 1500);
            socket.receive(reply);
            ByteBuffer response = ByteBuffer.wrap(reply.getData(), 0, reply.getLength());
            byte[] echoed = Arrays.copyOfRange(reply.getData(), 8, 20);
            return reply.getLength() >= 20 && response.getShort(0) == 0x0101 && Arrays.equals(transaction, echoed);
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private boolean acceptsTcp() {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String locate() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "turnserver");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return Files.isExecutable(Path.of("/usr/bin/turnserver")) ? "/usr/bin/turnserver" : null;
    }

    /** A port free for both TCP and UDP on 127.0.0.1 (TURN listens on both). */
    private static int freePort() {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                 DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                         tcp.getLocalPort()))) {
                return tcp.getLocalPort();
            } catch (IOException e) {
                // taken for UDP: try another
            }
        }
        throw new IllegalStateException("no port free for both TCP and UDP on 127.0.0.1");
    }
}
