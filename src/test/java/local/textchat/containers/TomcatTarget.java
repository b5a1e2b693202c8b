package local.textchat.containers;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import local.textchat.support.ChildProcess;
import local.textchat.support.Deployment;

/**
 * Embedded Tomcat (10.1 or 11, whichever jars {@code textchat.runtime} holds) in a child JVM run
 * by src/test/containers/TomcatLauncher.java. Tomcat deploys a context in well under a second, so
 * every set of settings a test asks for gets a context of its own, configured the way a Tomcat
 * administrator would: as context parameters. No CDI: the application uses its plain registry.
 */
public final class TomcatTarget extends ContainerTarget {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    /** The launcher's BASIC users: the password is the name reversed. */
    public static final String AUTH_CONTEXT = "/textchat-auth";

    private final int port;
    private int contexts;
    private URI authenticated;

    private TomcatTarget(String name, ChildProcess process, long launched, int port) {
        super(name, process, launched, DEFAULTS);
        this.port = port;
    }

    public static TomcatTarget start(String name) {
        long launched = System.nanoTime();
        Path work = freshWork();
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx256m",
                // What Tomcat's own start scripts add, for its memory leak protection on JDK 17.
                "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
                "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                "--add-opens=java.rmi/sun.rmi.transport=ALL-UNNAMED",
                "-cp", runtime().resolve("*").toString(),
                Path.of("src/test/containers/TomcatLauncher.java").toAbsolutePath().toString(),
                war().toString(), work.resolve("base").toString()));
        ChildProcess process = ChildProcess.start(name, command, Map.of(), work, work.resolve("tomcat.log"), true);
        String portLine;
        try {
            portLine = process.nextLine(COMMAND_TIMEOUT, "port ");
        } catch (RuntimeException e) {
            process.stop(Duration.ofSeconds(5));
            throw e;
        }
        TomcatTarget target = new TomcatTarget(name, process, launched, Integer.parseInt(portLine.substring(5).trim()));
        return readyOrStopped(target, () -> target.deploy(DEFAULTS));
    }

    @Override
    public boolean hasCdi() {
        return false;
    }

    @Override
    protected Optional<URI> deployWith(Map<String, String> settings) {
        String path = settings.equals(DEFAULTS) ? "/textchat" : "/textchat-" + (++contexts);
        return Optional.of(deployContext(path, "open", settings));
    }

    /**
     * The application, with default settings, at {@value #AUTH_CONTEXT}, where {@code /signal}
     * takes only handshakes authenticated by BASIC as alice (password ecila) or bob (bob).
     */
    public synchronized Deployment authenticatedDeployment() {
        if (authenticated == null) {
            authenticated = deployContext(AUTH_CONTEXT, "basic", DEFAULTS);
        }
        return shared(authenticated, DEFAULTS);
    }

    private URI deployContext(String path, String security, Map<String, String> settings) {
        StringBuilder command = new StringBuilder("deploy ").append(path).append(' ').append(security);
        new TreeMap<>(settings).forEach((key, value) ->
                command.append(' ').append(key).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        process().send(command.toString());
        String reply = process().nextLine(COMMAND_TIMEOUT, "deployed " + path, "failed " + path);
        if (!reply.startsWith("deployed ")) {
            throw new IllegalStateException(name() + ": " + reply + process().logTail());
        }
        URI base = URI.create("http://127.0.0.1:" + port + path + "/");
        if ("open".equals(security)) {
            awaitUp(process(), base, COMMAND_TIMEOUT);
        } else {
            awaitHealth(process(), base, COMMAND_TIMEOUT); // its socket takes only authenticated handshakes
        }
        return base;
    }

    @Override
    protected void undeploy(URI base) {
        String path = base.getPath().substring(0, base.getPath().length() - 1);
        process().send("undeploy " + path);
        process().nextLine(COMMAND_TIMEOUT, "undeployed " + path);
    }
}
