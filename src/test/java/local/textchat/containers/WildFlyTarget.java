package local.textchat.containers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import local.textchat.config.Settings;
import local.textchat.support.ChildProcess;

/**
 * WildFly ({@code textchat.runtime} is the distribution the build unpacked), started with its own
 * {@code bin/standalone.sh} on 127.0.0.1, with a server directory of its own under
 * {@code textchat.work}; the WAR is deployed, undeployed and deployed again through the
 * deployment scanner's {@code deployments/} directory and its marker files, as an administrator
 * would. The settings are given as environment variables. WildFly brings CDI (Weld) and JSON-B.
 */
public final class WildFlyTarget extends ContainerTarget {

    private static final Duration DEPLOY_TIMEOUT = Duration.ofSeconds(60);
    /** The ports of standalone.xml, all moved by jboss.socket.binding.port-offset. */
    private static final int[] PORTS = {8080, 8443, 9990, 9993, 8009, 4712, 4713};

    private final URI base;
    private final Path deployments;
    private final boolean ioThreads;

    private WildFlyTarget(ChildProcess process, long launched, URI base, Path deployments,
            Map<String, String> settings, boolean ioThreads) {
        super(ioThreads ? "wildfly-io" : "wildfly", process, launched, settings);
        this.base = base;
        this.deployments = deployments;
        this.ioThreads = ioThreads;
    }

    /** WildFly running the WAR with {@code settings} as environment variables. */
    public static WildFlyTarget start(Map<String, String> settings) {
        return start(settings, false);
    }

    /**
     * WildFly running the WAR with {@code settings} as environment variables; with
     * {@code ioThreads}, the endpoint runs on Undertow's I/O threads
     * ({@code <websockets dispatch-to-worker="false"/>}, docs/deploy.md).
     */
    public static WildFlyTarget start(Map<String, String> settings, boolean ioThreads) {
        long launched = System.nanoTime();
        Path home = runtime();
        Path work = freshWork();
        Path server = work.resolve("server");
        Path deployments = server.resolve("deployments");
        try {
            copyTree(home.resolve("standalone/configuration"), server.resolve("configuration"));
            Path xml = server.resolve("configuration/standalone.xml");
            // Scan every half second instead of every 5 s, so that undeploy and redeploy are quick.
            String config = Files.readString(xml).replace("scan-interval=\"5000\"", "scan-interval=\"500\"");
            if (ioThreads) {
                if (!config.contains("<websockets/>")) {
                    throw new IllegalStateException("standalone.xml has no <websockets/> element to set dispatch-to-worker on");
                }
                config = config.replace("<websockets/>", "<websockets dispatch-to-worker=\"false\"/>");
            }
            Files.writeString(xml, config);
            Files.createDirectories(deployments);
            Files.copy(war(), deployments.resolve("textchat.war"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int offset = freeOffset();
        Map<String, String> env = new HashMap<>();
        // Not the JAVA_HOME of the test JVM's environment: under the network namespace wrapper that
        // points at the wrapper, which is not a JDK.
        env.put("JAVA_HOME", System.getProperty("java.home"));
        // standalone.sh then runs java in the background and passes SIGTERM on to it.
        env.put("LAUNCH_JBOSS_IN_BACKGROUND", "true");
        settings.forEach((key, value) -> env.put(Settings.envName(key), value));
        List<String> command = List.of("sh", home.resolve("bin/standalone.sh").toString(),
                "-Djboss.server.base.dir=" + server,
                "-b", "127.0.0.1", "-bmanagement", "127.0.0.1",
                "-Djboss.socket.binding.port-offset=" + offset);
        ChildProcess process = ChildProcess.start("wildfly", command, env, work, work.resolve("wildfly.log"), false);
        WildFlyTarget target = new WildFlyTarget(process, launched,
                URI.create("http://127.0.0.1:" + (8080 + offset) + "/textchat/"), deployments, settings, ioThreads);
        return readyOrStopped(target, () -> {
            target.awaitMarker("deployed", Duration.ofSeconds(180));
            awaitUp(process, target.base, Duration.ofSeconds(30));
        });
    }

    @Override
    public boolean hasCdi() {
        return true;
    }

    @Override
    protected ContainerTarget startAnother(Map<String, String> wanted) {
        return start(wanted, ioThreads);
    }

    @Override
    protected Optional<URI> deployWith(Map<String, String> wanted) {
        if (!wanted.equals(startedWith())) {
            return Optional.empty();
        }
        if (!Files.exists(marker("deployed"))) {
            // Undeployed by an earlier test: deploy again.
            touch(marker("dodeploy"));
            awaitMarker("deployed", DEPLOY_TIMEOUT);
            awaitUp(process(), base, DEPLOY_TIMEOUT);
        }
        return Optional.of(base);
    }

    @Override
    protected void undeploy(URI application) {
        try {
            Files.delete(marker("deployed"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitMarker("undeployed", DEPLOY_TIMEOUT);
    }

    private Path marker(String state) {
        return deployments.resolve("textchat.war." + state);
    }

    private void awaitMarker(String state, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(marker(state))) {
            if (Files.exists(marker("failed"))) {
                String why;
                try {
                    why = Files.readString(marker("failed"));
                } catch (IOException e) {
                    why = e.toString();
                }
                throw new IllegalStateException("wildfly: deployment failed: " + why + process().logTail());
            }
            if (!process().isAlive()) {
                throw new IllegalStateException("wildfly exited" + process().logTail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("wildfly: no " + marker(state) + " within " + timeout
                        + process().logTail());
            }
            sleep(100);
        }
    }

    private static void touch(Path file) {
        try {
            Files.writeString(file, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freeOffset() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int offset = ThreadLocalRandom.current().nextInt(100, 20_000);
            if (IntStream.of(PORTS).allMatch(port -> portFree(port + offset))) {
                return offset;
            }
        }
        throw new IllegalStateException("no free port offset for WildFly");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
