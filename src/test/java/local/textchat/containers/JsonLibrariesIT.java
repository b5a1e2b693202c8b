package local.textchat.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;


/**
 * The WAR bundles JSON-P and JSON-B (Tomcat has neither). WildFly puts its own API modules in
 * front of the WAR's jars while the WAR's implementation jars stay visible, so the two must be
 * the same versions: pin the pom's to the WildFly release the tests run on. (Payara keeps its
 * own for everything, Tomcat uses the WAR's; the protocol suite proves both work.)
 */
class JsonLibrariesIT {

    private static final Pattern JAR = Pattern.compile("(jakarta\\.json\\.bind-api|jakarta\\.json-api|yasson|parsson)-(.+)\\.jar");

    @Test
    void theWarBundlesTheJsonLibrariesWildFlyHas() throws IOException {
        ContainerTarget.required(WildFlyTarget.class, "compares with the WildFly distribution");
        Map<String, String> bundled = new TreeMap<>();
        try (ZipFile war = new ZipFile(ContainerTarget.war().toFile())) {
            war.stream().map(entry -> entry.getName())
                    .filter(name -> name.startsWith("WEB-INF/lib/"))
                    .map(name -> JAR.matcher(name.substring("WEB-INF/lib/".length())))
                    .filter(Matcher::matches)
                    .forEach(m -> bundled.put(m.group(1), m.group(2)));
        }
        assertEquals(4, bundled.size(), () -> "JSON-P and JSON-B API and implementation in the WAR: " + bundled);
        Path modules = ContainerTarget.runtime().resolve("modules/system/layers/base");
        Map<String, String> wildfly = new TreeMap<>();
        for (String module : new String[] {"jakarta/json/bind/api", "jakarta/json/api", "org/eclipse/yasson",
                "org/eclipse/parsson"}) {
            jarIn(modules.resolve(module).resolve("main"))
                    .map(JAR::matcher).filter(Matcher::matches)
                    .ifPresent(m -> wildfly.put(m.group(1), m.group(2)));
        }
        assertFalse(wildfly.isEmpty(), "no JSON modules found under " + modules);
        assertEquals(wildfly, bundled, "the WAR's JSON libraries (right) differ from WildFly's (left): pin them in pom.xml");
    }

    private static Optional<String> jarIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".jar")).findFirst();
        }
    }
}
