package local.textchat.containers;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import local.textchat.support.ChildProcess;
import local.textchat.support.Deployment;
import local.textchat.support.Target;
import local.textchat.support.TestServer;
import local.textchat.support.WsClient;

/**
 * A container in a child process with the packaged WAR deployed on it, shared by every test of
 * the test JVM. Deployments are kept per settings; a test gets one only after it has drained
 * (no user and no socket left from the test before, read from {@code /health}), so tests see an
 * empty registry just as with a fresh server.
 *
 * <p>Paths come from system properties the failsafe executions set: {@code textchat.war} (the
 * packaged WAR), {@code textchat.runtime} (what the build fetched for this container) and
 * {@code textchat.work} (a directory of its own under target/ for logs and state). Each stop
 * writes start time, suite time and memory to {@code report.txt} there.
 */
public abstract class ContainerTarget implements Target {

    /** The settings the container is first started with, which {@code TestServer.start()} asks for. */
    static final Map<String, String> DEFAULTS = TestServer.DEFAULTS;

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
    /**
     * How long the sockets of a finished test may take to go: normally milliseconds. Payara now
     * and then never reports a client's close (the client closes, the server's session stays
     * open and {@code @OnClose} never comes); then the heartbeat frees the socket, within the
     * idle timeout (60 s) plus a sweep (5 s) plus the resume grace (10 s). Beyond that is a leak.
     */
    private static final Duration DRAIN = Duration.ofSeconds(90);
    /** A drain slower than this (the resume grace, 10 s, and some) is reported (see {@link #DRAIN}). */
    private static final Duration SLOW_DRAIN = Duration.ofSeconds(15);
    private static final Duration WARM_UP = Duration.ofSeconds(90);
    private static final List<ContainerTarget> STARTED = new ArrayList<>();
    /** Processes started by this JVM, for their work directories' names. */
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final String name;
    private final ChildProcess process;
    private final long launched;
    /** The settings this process was started with. */
    private final Map<String, String> settings;
    private long ready;
    private final Map<Map<String, String>, Deployed> deployments = new LinkedHashMap<>();
    private volatile boolean stopped;
    /** The process {@link #anotherWith} started last, or null. */
    private ContainerTarget another;

    protected ContainerTarget(String name, ChildProcess process, long launched, Map<String, String> settings) {
        this.name = name;
        this.process = process;
        this.launched = launched;
        this.settings = settings;
        // Normally stopped when the tests end (ContainerLifecycle); this covers every other way out.
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, name + "-stop"));
        synchronized (STARTED) {
            STARTED.add(this);
        }
    }

    /**
     * The current target as a {@code kind}, for tests that check what only that container has
     * ({@code why}); the pom runs them only in its executions, so anything else is a mistake in
     * the build and fails rather than skips.
     */
    public static <T extends ContainerTarget> T required(Class<T> kind, String why) {
        Target current = Target.current();
        if (!kind.isInstance(current)) {
            throw new AssertionError("this test " + why + ", so it runs only on " + kind.getSimpleName()
                    + " (a containers-* execution in pom.xml); the target here is " + current.name());
        }
        return kind.cast(current);
    }

    /** Stop every container this JVM started. */
    static void stopAll() {
        synchronized (STARTED) {
            STARTED.forEach(ContainerTarget::stop);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean servletContainer() {
        return true;
    }

    /** Whether the application's registry is the container's CDI bean here. */
    public abstract boolean hasCdi();

    @Override
    public synchronized Deployment deploy(Map<String, String> settings) {
        Deployed deployment = deployments.get(settings);
        if (deployment == null) {
            Optional<URI> base = deployWith(settings);
            if (base.isPresent()) {
                Deployed deployed = new Deployed(base.get(), settings);
                deployments.put(settings, deployed);
                deployed.awaitDrained();
                return deployed;
            }
            return anotherWith(settings);
        }
        deployment.awaitDrained();
        return deployment;
    }

    /**
     * The application with {@code settings} on another process of this container, for containers
     * that take settings only when they start (as system properties or environment variables,
     * the way their users configure them). One such process at a time besides this one: the
     * previous one is stopped when a test needs other settings.
     */
    private Deployment anotherWith(Map<String, String> settings) {
        if (another == null || another.stopped || !another.startedWith().equals(settings)) {
            if (another != null) {
                another.stop();
            }
            another = null;
            another = startAnother(settings);
        }
        return another.deploy(settings);
    }

    /** Start another process of this container with {@code settings} (see {@link #anotherWith}). */
    protected ContainerTarget startAnother(Map<String, String> settings) {
        throw new UnsupportedOperationException(name + " deploys with any settings while it runs");
    }

    /** The settings this process was started with. */
    protected final Map<String, String> startedWith() {
        return settings;
    }

    /**
     * The base URI of a deployment with exactly {@code settings}, deploying it if this container
     * can do so while it runs; empty if it cannot.
     */
    protected abstract Optional<URI> deployWith(Map<String, String> settings);

    /** Undeploy (or otherwise stop) the application at {@code base}; its sockets must get 1001. */
    protected abstract void undeploy(URI base);

    protected final ChildProcess process() {
        return process;
    }

    /**
     * {@code target}, once {@code becomesReady} has passed (what it takes counts as start time);
     * if it fails, the container is stopped and the failure thrown.
     */
    static <T extends ContainerTarget> T readyOrStopped(T target, Runnable becomesReady) {
        try {
            becomesReady.run();
        } catch (RuntimeException | Error e) {
            target.stop();
            throw e;
        }
        ((ContainerTarget) target).ready = System.nanoTime();
        return target;
    }

    /** Stop the container and write the report (once). */
    synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (another != null) {
            another.stop();
        }
        long end = System.nanoTime();
        String memory = process.isAlive() ? process.memory() : "exited early";
        process.stop(Duration.ofSeconds(25));
        Runtime tests = Runtime.getRuntime();
        String report = String.format(Locale.ROOT,
                "%s%s: start %.1f s, suite %.1f s, deployments %d, memory at the end: %s; test JVM heap %d of %d MiB%n",
                name, startedWith().equals(DEFAULTS) ? "" : " started with " + startedWith(), ((ready == 0 ? end : ready) - launched) / 1e9, (end - (ready == 0 ? end : ready)) / 1e9,
                deployments.size(), memory, (tests.totalMemory() - tests.freeMemory()) >> 20, tests.totalMemory() >> 20);
        System.out.print("[textchat containers] " + report);
        try {
            Files.writeString(work().resolve("report.txt"), report);
        } catch (IOException e) {
            System.err.println("could not write the report: " + e);
        }
    }

    // --- for the implementations --------------------------------------------------------

    static Path war() {
        return existing("textchat.war");
    }

    static Path runtime() {
        return existing("textchat.runtime");
    }

    /**
     * A new work directory for this run, {@code textchat.work/run-PID}: builds that run at the same
     * time in one tree must not share a server directory. Those of runs that have ended are removed.
     */
    static Path freshWork() {
        Path work = work().resolve("run-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet());
        try {
            Files.createDirectories(work());
            try (Stream<Path> runs = Files.list(work())) {
                for (Path run : runs.filter(ContainerTarget::isStaleRun).toList()) {
                    deleteTree(run);
                }
            }
            deleteTree(work);
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return work;
    }

    private static boolean isStaleRun(Path dir) {
        String name = dir.getFileName().toString();
        if (!name.matches("run-\\d+(-\\d+)?")) {
            return false;
        }
        long pid = Long.parseLong(name.replaceAll("run-(\\d+).*", "$1"));
        return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** {@code textchat.work}: this container's directory under target/, for its runs and reports. */
    private static Path work() {
        String dir = System.getProperty("textchat.work");
        if (dir == null) {
            throw new IllegalStateException("textchat.work is not set (see the container executions in pom.xml)");
        }
        return Path.of(dir).toAbsolutePath();
    }

    private static Path existing(String property) {
        String value = System.getProperty(property);
        if (value == null || !Files.exists(Path.of(value))) {
            throw new IllegalStateException(property + " is " + value
                    + ", which does not exist; run through Maven (mvn verify), which sets it and fetches it");
        }
        return Path.of(value).toAbsolutePath();
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean portFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return socket.isBound();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Wait until the application at {@code base} answers {@code /health} and a login on its
     * socket, while the process lives.
     */
    static void awaitUp(ChildProcess process, URI base, Duration timeout) {
        awaitHealth(process, base, timeout);
        warmUp(process, base, System.nanoTime() + WARM_UP.toNanos());
    }

    /** Wait until the application at {@code base} answers {@code /health}, while the process lives. */
    static void awaitHealth(ChildProcess process, URI base, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the container exited while starting" + process.logTail());
            }
            if (healthIfUp(base).isPresent()) {
                return;
            }
            sleep(200);
        }
        throw new IllegalStateException(base + "health did not answer within " + timeout + process.logTail());
    }

    /**
     * One login over the socket before any test: the application builds its switchboard, the
     * container its CDI proxies and JSON-B its bindings at the first handshake, which on a busy
     * machine can take longer than a test waits for a reply.
     */
    private static void warmUp(ChildProcess process, URI base, long deadline) {
        URI signal = URI.create("ws://" + base.getHost() + ":" + base.getPort() + base.getPath() + "signal");
        AssertionError last = null;
        while (System.nanoTime() < deadline) {
            try (WsClient client = WsClient.connect(signal)) {
                client.login("warm-up");
                return;
            } catch (AssertionError | IllegalStateException e) {
                last = e instanceof AssertionError a ? a : new AssertionError(e);
                if (!process.isAlive()) {
                    break;
                }
            }
        }
        throw new IllegalStateException(signal + " did not answer a login" + process.logTail(), last);
    }

    /** {@code GET health} of the application at {@code base}. */
    public static JsonObject health(URI base) {
        return healthIfUp(base).orElseThrow(() -> new IllegalStateException(base + "health does not answer"));
    }

    private static Optional<JsonObject> healthIfUp(URI base) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(base.resolve("health"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            return Optional.of(Json.createReader(new StringReader(response.body())).readObject());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A deployment a subclass made by other means than {@link #deployWith}, drained like the others. */
    protected final Deployment shared(URI base, Map<String, String> settings) {
        Deployed deployment = new Deployed(base, settings);
        deployment.awaitDrained();
        return deployment;
    }

    /** One deployment, shared by the tests that want its settings. */
    private final class Deployed implements Deployment {
        private final URI base;
        private final Map<String, String> settings;

        Deployed(URI base, Map<String, String> settings) {
            this.base = base;
            this.settings = settings;
        }

        @Override
        public URI baseUri() {
            return base;
        }

        @Override
        public void release() {
            awaitDrained();
        }

        @Override
        public void stopApplication() {
            synchronized (ContainerTarget.this) {
                undeploy(base);
                deployments.remove(settings);
            }
        }

        void awaitDrained() {
            long deadline = System.nanoTime() + DRAIN.toNanos();
            JsonObject health = null;
            while (System.nanoTime() < deadline) {
                Optional<JsonObject> now = healthIfUp(base);
                if (now.isEmpty()) {
                    return; // undeployed by the test
                }
                health = now.get();
                if (health.getInt("users") == 0 && health.getInt("sockets") == 0) {
                    long took = System.nanoTime() - (deadline - DRAIN.toNanos());
                    if (took > SLOW_DRAIN.toNanos()) {
                        System.out.printf(Locale.ROOT, "[textchat containers] %s: sockets took %.1f s to go after a"
                                + " test (a close the container did not report, freed by the heartbeat)%n",
                                name, took / 1e9);
                    }
                    return;
                }
                sleep(25);
            }
            throw new AssertionError(name + ": sockets or users were left over after " + DRAIN + ": " + health
                    + process.logTail());
        }
    }
}
