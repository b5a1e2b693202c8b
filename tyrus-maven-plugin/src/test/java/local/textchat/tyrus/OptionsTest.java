package local.textchat.tyrus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class OptionsTest {

    private static final Path WEBAPP = Path.of("src/main/webapp");

    @Test
    void contextPathIsNormalized() {
        assertEquals("/textchat", Options.normalizeContextPath("/textchat"));
        assertEquals("/textchat", Options.normalizeContextPath("textchat"));
        assertEquals("/textchat", Options.normalizeContextPath(" /textchat/ "));
        assertEquals("/a/b", Options.normalizeContextPath("/a/b/"));
        assertEquals("", Options.normalizeContextPath("/"));
        assertEquals("", Options.normalizeContextPath(""));
        assertEquals("", Options.normalizeContextPath(null));
        assertThrows(IllegalArgumentException.class, () -> Options.normalizeContextPath("/a b"));
        assertThrows(IllegalArgumentException.class, () -> Options.normalizeContextPath("/a?b"));
        assertThrows(IllegalArgumentException.class, () -> Options.normalizeContextPath("/a#b"));
        assertThrows(IllegalArgumentException.class, () -> Options.normalizeContextPath("//a"));
    }

    @Test
    void invalidValuesAreRefusedWithTheirPropertyName() {
        assertMessage("tyrus.port", () -> new Options("127.0.0.1", -1, "/t", WEBAPP, 0));
        assertMessage("tyrus.port", () -> new Options("127.0.0.1", 65536, "/t", WEBAPP, 0));
        assertMessage("tyrus.host", () -> new Options(" ", 8080, "/t", WEBAPP, 0));
        assertMessage("tyrus.host", () -> new Options(null, 8080, "/t", WEBAPP, 0));
        assertMessage("tyrus.stopAfter", () -> new Options("127.0.0.1", 8080, "/t", WEBAPP, -5));
        assertMessage("tyrus.contextPath", () -> new Options("127.0.0.1", 8080, "/t t", WEBAPP, 0));
        assertMessage("tyrus.webappDir", () -> new Options("127.0.0.1", 8080, "/t", null, 0));
    }

    @Test
    void urlsFollowTheOptions() {
        Options options = new Options("127.0.0.1", 8080, "/textchat/", WEBAPP, 0);
        assertEquals("/textchat", options.contextPath());
        assertEquals("http://127.0.0.1:8080/textchat/", options.pageUrl(8080));
        assertEquals("ws://127.0.0.1:8080/textchat/signal", options.webSocketUrl(8080, "/signal"));
        assertEquals("http://127.0.0.1:41234/textchat/", options.pageUrl(41234));

        Options root = new Options("localhost", 0, "/", WEBAPP, 0);
        assertEquals("http://localhost:9000/", root.pageUrl(9000));
        assertEquals("ws://localhost:9000/signal", root.webSocketUrl(9000, "/signal"));

        assertEquals("http://127.0.0.1:8080/x/", new Options("0.0.0.0", 8080, "/x", WEBAPP, 0).pageUrl(8080));
        assertEquals("http://[::1]:8080/x/", new Options("::1", 8080, "/x", WEBAPP, 0).pageUrl(8080));
    }

    @Test
    void describeNamesEveryProperty() {
        Options options = new Options("127.0.0.1", 8080, "/textchat", WEBAPP, 0);
        List<String> lines = options.describe();
        assertEquals(List.of("tyrus.host=127.0.0.1", "tyrus.port=8080", "tyrus.contextPath=/textchat",
                "tyrus.webappDir=" + WEBAPP.toAbsolutePath(), "tyrus.stopAfter=0 (run until Ctrl-C)"), lines);
        assertTrue(new Options("0.0.0.0", 0, "/t", WEBAPP, 40).describe()
                .containsAll(List.of("tyrus.host=0.0.0.0 (all interfaces)", "tyrus.port=0 (any free port)",
                        "tyrus.stopAfter=40 seconds")));
    }

    @Test
    void bindFailuresSayWhatToDo() {
        Options options = new Options("127.0.0.1", 8080, "/textchat", WEBAPP, 0);
        assertEquals("Port 8080 on 127.0.0.1 is already in use; pass -Dtyrus.port=...",
                RunMojo.bindFailure(options, new BindException("Address already in use")));
        Options remote = new Options("192.0.2.1", 8080, "/textchat", WEBAPP, 0);
        String message = RunMojo.bindFailure(remote, new BindException("Cannot assign requested address"));
        assertTrue(message.startsWith("Cannot listen on 192.0.2.1:8080 (Cannot assign requested address)"), message);
        assertTrue(message.contains("-Dtyrus.host="), message);
    }

    @Test
    void classPathKeepsRuntimeOrderThenAddsProvided() {
        assertEquals(List.of("classes", "yasson.jar", "websocket-api.jar"),
                RunMojo.merge(List.of("classes", "yasson.jar"), List.of("classes", "websocket-api.jar", "yasson.jar")));
    }

    /** The generated plugin descriptor: the -D property names, defaults and lifecycle the README promises. */
    @Test
    void pluginDescriptorDeclaresTheGoalAndItsProperties() throws Exception {
        Path descriptor = Path.of("target/classes/META-INF/maven/plugin.xml");
        assertTrue(Files.isRegularFile(descriptor), "run the tests through Maven, which generates " + descriptor);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(descriptor.toFile());
        assertEquals("tyrus", text(doc.getDocumentElement(), "goalPrefix"));

        Element mojo = (Element) doc.getElementsByTagName("mojo").item(0);
        assertEquals("run", text(mojo, "goal"));
        assertEquals("compile+runtime", text(mojo, "requiresDependencyResolution"));
        assertEquals("process-classes", text(mojo, "executePhase"));

        Map<String, String[]> config = new HashMap<>();
        NodeList nodes = ((Element) mojo.getElementsByTagName("configuration").item(0)).getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e) {
                config.put(e.getTagName(), new String[] {e.getTextContent(), e.getAttribute("default-value")});
            }
        }
        assertConfig(config, "host", "${tyrus.host}", "127.0.0.1");
        assertConfig(config, "port", "${tyrus.port}", "8080");
        assertConfig(config, "contextPath", "${tyrus.contextPath}", "/${project.build.finalName}");
        assertConfig(config, "webappDir", "${tyrus.webappDir}", "${project.basedir}/src/main/webapp");
        assertConfig(config, "stopAfter", "${tyrus.stopAfter}", "0");
    }

    private static void assertConfig(Map<String, String[]> config, String name, String expression, String def) {
        String[] entry = config.get(name);
        assertEquals(expression, entry[0], name);
        assertEquals(def, entry[1], name);
    }

    private static String text(Element parent, String tag) {
        return parent.getElementsByTagName(tag).item(0).getTextContent();
    }

    private static void assertMessage(String expected, Runnable action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
