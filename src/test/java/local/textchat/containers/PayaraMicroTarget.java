package local.textchat.containers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import local.textchat.support.ChildProcess;

/**
 * Payara Micro 6 ({@code textchat.runtime} is its jar) in a child process, the WAR deployed with
 * {@code --deploy}, the settings given as system properties. Payara brings CDI (Weld), JSON-B and
 * its own Tyrus, so the application runs on the container's registry bean and JSON-B.
 */
public final class PayaraMicroTarget extends ContainerTarget {

    private final URI base;

    private PayaraMicroTarget(ChildProcess process, long launched, URI base, Map<String, String> settings) {
        super("payara", process, launched, settings);
        this.base = base;
    }

    /** Payara Micro running the WAR with {@code settings} as system properties. */
    public static PayaraMicroTarget start(Map<String, String> settings) {
        long launched = System.nanoTime();
        Path work = freshWork();
        int port = freePort();
        Path preboot = work.resolve("preboot.asadmin");
        try {
            Files.createDirectories(work.resolve("tmp"));
            // Payara Micro's --port binds every interface; this makes it 127.0.0.1 only.
            Files.writeString(preboot, "set configs.config.server-config.network-config.network-listeners"
                    + ".network-listener.http-listener.address=127.0.0.1\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx512m",
                "-Djava.io.tmpdir=" + work.resolve("tmp")));
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", runtime().toString(),
                "--nocluster", "--disablephonehome",
                "--port", Integer.toString(port),
                "--prebootcommandfile", preboot.toString(),
                "--rootdir", work.resolve("root").toString(),
                "--deploy", war().toString(), "--contextroot", "textchat"));
        ChildProcess process = ChildProcess.start("payara", command, Map.of(), work, work.resolve("payara.log"), false);
        URI base = URI.create("http://127.0.0.1:" + port + "/textchat/");
        return readyOrStopped(new PayaraMicroTarget(process, launched, base, settings),
                () -> awaitUp(process, base, Duration.ofSeconds(180)));
    }

    @Override
    public boolean hasCdi() {
        return true;
    }

    @Override
    protected Optional<URI> deployWith(Map<String, String> wanted) {
        return wanted.equals(startedWith()) ? Optional.of(base) : Optional.empty();
    }

    @Override
    protected ContainerTarget startAnother(Map<String, String> wanted) {
        return start(wanted);
    }

    /**
     * Payara Micro cannot undeploy and deploy again while it runs: the application stops with the
     * server, as in a shutdown (SIGTERM). Only a process of its own may be stopped that way; the
     * one with the default settings is shared by the other tests.
     */
    @Override
    protected void undeploy(URI application) {
        if (startedWith().equals(DEFAULTS)) {
            throw new IllegalStateException("payara: the default deployment is shared and cannot be stopped;"
                    + " a test that stops the application must ask for settings of its own");
        }
        stop();
    }
}
