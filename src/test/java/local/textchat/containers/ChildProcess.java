package local.textchat.containers;

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
 * A server process started by the tests, which can never outlive the test JVM: its standard
 * input is a pipe from this JVM, and the end of that pipe stops it. A normal stop closes the
 * pipe; so does the death of the test JVM, however it dies. Programs that do not watch their
 * input themselves run under a small shell that does it for them.
 */
final class ChildProcess {

    /**
     * Runs "$@" and stops it (SIGTERM) once standard input ends. Standard input is kept on fd 3
     * because sh gives background commands /dev/null as their input.
     */
    private static final String WATCHDOG = "exec 3<&0; \"$@\" </dev/null & child=$!; "
            + "(cat <&3 >/dev/null; kill $child 2>/dev/null) & wait $child";

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
     * Start {@code command} in {@code dir}. Its output goes to {@code log}; if it
     * {@code watchesInput} (stops when its standard input ends), its standard output is kept for
     * {@link #nextLine} instead, and only its error stream goes to the log.
     */
    static ChildProcess start(String name, List<String> command, Map<String, String> env, Path dir, Path log,
                              boolean watchesInput) {
        List<String> full = new ArrayList<>();
        if (!watchesInput) {
            full.addAll(List.of("sh", "-c", WATCHDOG, "sh"));
        }
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).directory(dir.toFile());
        builder.environment().putAll(env);
        if (watchesInput) {
            builder.redirectError(log.toFile());
        } else {
            builder.redirectErrorStream(true).redirectOutput(log.toFile());
        }
        try {
            Files.createDirectories(dir);
            ChildProcess child = new ChildProcess(name, builder.start(), log);
            if (watchesInput) {
                child.pumpOutput();
            }
            return child;
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + name + ": " + full, e);
        }
    }

    private void pumpOutput() {
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, name + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Send one line to its standard input. */
    void send(String line) {
        try {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new IllegalStateException(name + " is not listening any more" + logTail(), e);
        }
    }

    /** The next line it printed that starts with one of {@code prefixes}; fails after {@code timeout}. */
    String nextLine(Duration timeout, String... prefixes) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new IllegalStateException(name + ": no answer within " + timeout
                            + (process.isAlive() ? "" : " (exited with " + process.exitValue() + ")") + logTail());
                }
                for (String prefix : prefixes) {
                    if (line.startsWith(prefix)) {
                        return line;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Memory of its JVMs now: resident set, peak resident set, and heap as jcmd reports it. */
    String memory() {
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
     * Stop it: end its input, which makes it shut down gracefully, and wait up to {@code grace};
     * then kill whatever of it is left.
     */
    void stop(Duration grace) {
        // Taken now: once the process has gone, whatever it left behind is no longer its descendant.
        List<ProcessHandle> family = process.descendants().toList();
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
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

    /** The end of its log, for error messages. */
    String logTail() {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "\n---- last lines of " + log + " ----\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
        } catch (IOException | RuntimeException e) {
            return " (see " + log + ")";
        }
    }
}
