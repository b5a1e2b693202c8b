package local.textchat.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A process started by the tests (a container, a cluster node's JVM, redis-server, coturn,
 * Firefox), which can never outlive the test JVM: its standard input is a pipe from this JVM, and
 * the end of that pipe stops it. A normal stop closes the pipe; so does the death of the test
 * JVM, however it dies (a shutdown hook would not run after SIGKILL). Programs that do not watch
 * their input themselves run under a small shell watchdog that does it for them; the program then
 * has the process's own PID (the shell execs it), so {@link #pid} and {@link #kill} reach it.
 */
public final class ChildProcess {

    /**
     * Runs "$@" with the PID of this shell, and a watchdog that sends it SIGTERM once standard input
     * ends. Standard input is first kept on fd 3, because sh gives background commands /dev/null as
     * their input; the program gets /dev/null and not fd 3.
     */
    private static final String WATCHDOG = "exec 3<&0; (cat <&3 >/dev/null; kill $$ 2>/dev/null) & "
            + "exec \"$@\" </dev/null 3<&-";

    private final String name;
    private final Process process;
    private final Path log;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Start {@code command} in {@code dir}. Its output (standard output and error) goes to
     * {@code log}; with {@code keepOutput} its lines are also kept for {@link #nextLine}. A program that
     * {@code watchesInput} stops by itself when its standard input ends; any other runs under the
     * watchdog.
     */
    public static ChildProcess start(String name, List<String> command, Map<String, String> env, Path dir, Path log,
                                     boolean watchesInput, boolean keepOutput) {
        List<String> full = new ArrayList<>();
        if (!watchesInput) {
            full.addAll(List.of("sh", "-c", WATCHDOG, "sh"));
        }
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).directory(dir.toFile());
        builder.environment().putAll(env);
        builder.redirectErrorStream(true);
        if (!keepOutput) {
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        }
        try {
            Files.createDirectories(dir);
            Files.createDirectories(log.toAbsolutePath().getParent());
            ChildProcess child = new ChildProcess(name, builder.start(), log);
            if (keepOutput) {
                child.pumpOutput();
            }
            // A program that ended by itself: its watchdog goes at once, not when the test JVM does.
            child.process.onExit().thenRun(child::closeInput);
            return child;
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + name + ": " + full, e);
        }
    }

    /** {@link #start(String, List, Map, Path, Path, boolean, boolean)}, keeping the output of a program that watches its input. */
    public static ChildProcess start(String name, List<String> command, Map<String, String> env, Path dir, Path log,
                                     boolean watchesInput) {
        return start(name, command, env, dir, log, watchesInput, watchesInput);
    }

    private void pumpOutput() {
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                    Files.writeString(log, line + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                            java.nio.file.StandardOpenOption.APPEND);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, name + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Send one line to its standard input. */
    public void send(String line) {
        try {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new IllegalStateException(name + " is not listening any more" + logTail(), e);
        }
    }

    /** The next line it printed that starts with one of {@code prefixes}; fails after {@code timeout}. */
    public String nextLine(Duration timeout, String... prefixes) {
        return nextLine(timeout, line -> java.util.Arrays.stream(prefixes).anyMatch(line::startsWith));
    }

    /** The next line it printed that {@code wanted} accepts; fails after {@code timeout}. */
    public String nextLine(Duration timeout, java.util.function.Predicate<String> wanted) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new IllegalStateException(name + ": no answer within " + timeout
                            + (process.isAlive() ? "" : " (exited with " + process.exitValue() + ")") + logTail());
                }
                if (wanted.test(line)) {
                    return line;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The program's PID. */
    public long pid() {
        return process.pid();
    }

    /** SIGKILL to it and everything it started, as a crash would; returns once it has exited. */
    public void kill() {
        List<ProcessHandle> family = process.descendants().toList();
        process.destroyForcibly();
        family.forEach(ProcessHandle::destroyForcibly);
        awaitExit(Duration.ofSeconds(10));
        for (ProcessHandle member : family) {
            member.onExit().completeOnTimeout(member, 10, TimeUnit.SECONDS).join();
        }
    }

    /** Waits up to {@code timeout} for it to exit; whether it has. */
    public boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Memory of its JVMs now: resident set, peak resident set, and heap as jcmd reports it. */
    public String memory() {
        List<String> parts = new ArrayList<>();
        for (ProcessHandle handle : (Iterable<ProcessHandle>) Stream.concat(Stream.of(process.toHandle()),
                process.descendants())::iterator) {
            boolean java = handle.info().command().map(c -> c.endsWith("/java")).orElse(false);
            if (!java) {
                continue;
            }
            long pid = handle.pid();
            String rss = statusField(pid, "VmRSS");
            String peak = statusField(pid, "VmHWM");
            parts.add("pid " + pid + " RSS " + rss + " (peak " + peak + "), " + heap(pid));
        }
        return parts.isEmpty() ? "no JVM found" : String.join("; ", parts);
    }

    private static String statusField(long pid, String field) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid), "status"))) {
            return lines.filter(l -> l.startsWith(field + ":"))
                    .map(l -> {
                        long kib = Long.parseLong(l.replaceAll("\\D", ""));
                        return (kib / 1024) + " MiB";
                    })
                    .findFirst().orElse("?");
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static String heap(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.heap_info")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            // e.g. " garbage-first heap   total 258048K, used 120134K [...]"
            return out.lines().filter(l -> l.contains(" total ") && l.contains(" used "))
                    .findFirst().map(l -> "heap " + l.replaceAll("\\s*\\[.*", "").trim().replaceAll("\\s+", " "))
                    .orElse("heap ?");
        } catch (IOException | InterruptedException e) {
            return "heap ?";
        }
    }

    /**
     * Stop it: end its input, which makes it shut down gracefully (the watchdog sends SIGTERM), and
     * wait up to {@code grace}; then kill whatever of it is left.
     */
    public void stop(Duration grace) {
        // Taken now: once the process has gone, whatever it left behind is no longer its descendant.
        List<ProcessHandle> family = process.descendants().toList();
        closeInput();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                System.err.println(name + " did not stop within " + grace + "; killing it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        family.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private void closeInput() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
    }

    /** The end of its log, for error messages. */
    public String logTail() {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "\n---- last lines of " + log + " ----\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
        } catch (IOException | RuntimeException e) {
            return " (see " + log + ")";
        }
    }
}
