package local.textchat.tyrus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import local.textchat.tyrus.fixture.AppConfig;
import local.textchat.tyrus.fixture.EchoEndpoint;
import local.textchat.tyrus.fixture.HeaderFilter;
import local.textchat.tyrus.fixture.ShoutEndpoint;
import local.textchat.tyrus.fixture.StartListener;
import local.textchat.tyrus.fixture.StatusServlet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndpointScannerTest {

    static final Path TEST_CLASSES = Path.of("target/test-classes");

    /** The fixture package's deployable classes, as the scan of target/test-classes finds them. */
    static Set<Class<?>> fixtures() throws Exception {
        List<String> skipped = new ArrayList<>();
        Set<Class<?>> all = EndpointScanner.scan(TEST_CLASSES, EndpointScannerTest.class.getClassLoader(), skipped::add);
        return all.stream()
                .filter(c -> c.getPackageName().equals(EchoEndpoint.class.getPackageName()))
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    @Test
    void findsEndpointsConfigsProgrammaticEndpointsAndServletComponents() throws Exception {
        assertTrue(Files.isDirectory(TEST_CLASSES), "run the tests through Maven");
        // AbstractEndpoint (abstract) and NotAnEndpoint are left out; sorted by name
        assertEquals(List.of(AppConfig.class, EchoEndpoint.class, HeaderFilter.class, ShoutEndpoint.class,
                StartListener.class, StatusServlet.class), new ArrayList<>(fixtures()));
    }

    @Test
    void unloadableClassesAreSkipped(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("x"));
        Files.write(dir.resolve("x/Broken.class"), new byte[] {1, 2, 3});
        Files.write(dir.resolve("module-info.class"), new byte[] {1});
        List<String> skipped = new ArrayList<>();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            assertEquals(Set.of(), EndpointScanner.scan(dir, loader, skipped::add));
        }
        assertEquals(1, skipped.size(), skipped.toString());
        assertTrue(skipped.get(0).startsWith("Skipping x.Broken: java.lang.ClassFormatError"), skipped.toString());
    }

    @Test
    void missingDirectoryHasNoClasses(@TempDir Path dir) throws Exception {
        assertEquals(Set.of(), EndpointScanner.scan(dir.resolve("nope"), getClass().getClassLoader(), s -> { }));
    }
}
