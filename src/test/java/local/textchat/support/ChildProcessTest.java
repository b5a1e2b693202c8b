package local.textchat.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The one launcher of the tests: what it starts ends with the JVM that started it, however that JVM ends. */
class ChildProcessTest {

    @Test
    void aChildDiesWithAJvmThatIsKilled() throws Exception {
        // A JVM of its own starts the child, then is killed with SIGKILL: no shutdown hook runs.
        Process parent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                Parent.class.getName()).redirectErrorStream(true).start();
        long child;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("CHILD "), "the parent JVM said " + line);
            child = Long.parseLong(line.substring(6).trim());
            assertTrue(alive(child), "the child runs while its parent does");
            parent.destroyForcibly().waitFor();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (alive(child) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (alive(child)) {
            ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
            fail("the child (pid " + child + ") outlived the JVM that started it");
        }
    }

    @Test
    void theProgramHasTheProcessesPidAndStopEndsIt() throws InterruptedException {
        ChildProcess sleeper = ChildProcess.start("sleep", List.of("sleep", "300"), Map.of(),
                Path.of("").toAbsolutePath(), Path.of("target", "child-process-test.log"), false, false);
        // The watchdog shell execs the program a moment after the start: the same pid, then running it.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        Optional<String> command = Optional.empty();
        while (System.nanoTime() < deadline && !command.orElse("").endsWith("sleep")) {
            command = ProcessHandle.of(sleeper.pid()).flatMap(h -> h.info().command());
            Thread.sleep(10);
        }
        Optional<String> seen = command;
        assertTrue(seen.orElse("").endsWith("sleep"), () -> "pid " + sleeper.pid() + " runs " + seen);
        sleeper.stop(Duration.ofSeconds(5));
        assertEquals(false, sleeper.isAlive());
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The parent JVM: starts {@code sleep 300} as a ChildProcess, prints its pid, and waits to be killed. */
    public static final class Parent {
        public static void main(String[] args) throws IOException, InterruptedException {
            ChildProcess sleeper = ChildProcess.start("sleep", List.of("sleep", "300"), Map.of(),
                    Path.of("").toAbsolutePath(), Path.of("target", "child-process-test.log"), false, false);
            System.out.println("CHILD " + sleeper.pid());
            System.out.flush();
            Thread.sleep(300_000);
        }
    }
}
