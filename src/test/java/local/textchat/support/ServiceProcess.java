package local.textchat.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * An external service a test starts as a real process (redis-server, coturn's turnserver):
 * output appended to a log file, ready when a probe says so, and, being a {@link ChildProcess},
 * never outliving the test JVM.
 */
public final class ServiceProcess {

    private final String name;
    private final Path log;
    private final ChildProcess process;

    private ServiceProcess(String name, Path log, ChildProcess process) {
        this.name = name;
        this.log = log;
        this.process = process;
    }

    /**
     * Start {@code command} and wait until {@code ready} holds (polled every 20 ms, at most
     * {@code timeout}); fails the test, with the log's path, if it exits or never gets ready.
     */
    public static ServiceProcess start(List<String> command, Path log, BooleanSupplier ready, Duration timeout) {
        String name = Path.of(command.get(0)).getFileName().toString();
        ChildProcess process = ChildProcess.start(name, command, Map.of(), Path.of("").toAbsolutePath(), log,
                false, false);
        ServiceProcess service = new ServiceProcess(name, log, process);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail(name + " exited at once; see " + log);
            }
            if (ready.getAsBoolean()) {
                return service;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        service.stop();
        return fail(name + " did not get ready within " + timeout.toSeconds() + " s; see " + log);
    }

    public long pid() {
        return process.pid();
    }

    /** SIGTERM, and wait until it has exited (SIGKILL after 10 s). */
    public void stop() {
        process.stop(Duration.ofSeconds(10));
    }

    /** SIGKILL at once, as a crash would. */
    public void kill() {
        process.kill();
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", log " + log + ")";
    }
}
