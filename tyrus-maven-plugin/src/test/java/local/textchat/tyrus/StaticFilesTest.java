package local.textchat.tyrus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticFilesTest {

    @TempDir
    Path tmp;

    Path webapp;
    StaticFiles files;

    @BeforeEach
    void webapp() throws IOException {
        webapp = Files.createDirectories(tmp.resolve("webapp"));
        write(webapp.resolve("index.html"), "<!doctype html><title>home</title>");
        write(webapp.resolve("js/app.js"), "export const x = 1;");
        write(webapp.resolve("css/site.css"), "body { margin: 0 }");
        write(webapp.resolve("img/logo.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
        write(webapp.resolve("docs/index.html"), "<p>docs</p>");
        write(webapp.resolve("empty/readme.txt"), "no index here");
        write(webapp.resolve("WEB-INF/web.xml"), "<web-app/>");
        write(tmp.resolve("secret.txt"), "outside the webapp");
        files = new StaticFiles("/ctx", webapp, getClass().getClassLoader());
    }

    @Test
    void contentTypesByExtension() {
        assertEquals("text/html;charset=utf-8", StaticFiles.contentType("index.html"));
        assertEquals("text/javascript;charset=utf-8", StaticFiles.contentType("js/app.js"));
        assertEquals("text/javascript;charset=utf-8", StaticFiles.contentType("mod.MJS"));
        assertEquals("text/css;charset=utf-8", StaticFiles.contentType("a.css"));
        assertEquals("image/svg+xml", StaticFiles.contentType("logo.svg"));
        assertEquals("image/png", StaticFiles.contentType("x.png"));
        assertEquals("application/json", StaticFiles.contentType("data.json"));
        assertEquals("font/woff2", StaticFiles.contentType("fonts/bootstrap-icons.woff2"));
        assertEquals("image/x-icon", StaticFiles.contentType("favicon.ico"));
        assertEquals("application/octet-stream", StaticFiles.contentType("noextension"));
    }

    @Test
    void servesFilesFromTheWebappDirectory() throws IOException {
        assertFound("/ctx/js/app.js", "text/javascript;charset=utf-8", "export const x = 1;");
        assertFound("/ctx/css/site.css", "text/css;charset=utf-8", "body { margin: 0 }");
        assertFound("/ctx/img/logo.svg", "image/svg+xml", "<svg xmlns='http://www.w3.org/2000/svg'/>");
    }

    @Test
    void editsShowWithoutACopy() throws IOException {
        assertFound("/ctx/js/app.js", "text/javascript;charset=utf-8", "export const x = 1;");
        write(webapp.resolve("js/app.js"), "export const x = 2;");
        assertFound("/ctx/js/app.js", "text/javascript;charset=utf-8", "export const x = 2;");
    }

    @Test
    void directoriesServeTheirIndexHtml() throws IOException {
        assertFound("/ctx/", "text/html;charset=utf-8", "<!doctype html><title>home</title>");
        assertFound("/ctx/docs/", "text/html;charset=utf-8", "<p>docs</p>");
        assertRedirect("/ctx/docs", "/ctx/docs/");
        assertRedirect("/ctx", "/ctx/");
        assertRedirect("/", "/ctx/");
        assertNotFound("/ctx/empty/");
        assertNotFound("/ctx/empty");
    }

    @Test
    void missingIsNotFound() {
        assertNotFound("/ctx/nope.js");
        assertNotFound("/ctx/js/app.js/");
        assertNotFound("/other/index.html");
        assertNotFound("/ctxother/index.html");
        assertNotFound("");
        assertNotFound("ctx/index.html");
    }

    @Test
    void traversalOutOfTheRootsIsRefused() {
        assertNotFound("/ctx/../secret.txt");
        assertNotFound("/ctx/js/../../secret.txt");
        assertNotFound("/ctx/%2e%2e/secret.txt");
        assertNotFound("/ctx/%2E%2E%2Fsecret.txt");
        assertNotFound("/ctx/js/..%2f..%2fsecret.txt");
        assertNotFound("/ctx/..%5csecret.txt");
        assertNotFound("/ctx/%00index.html");
        assertNotFound("/ctx/%zz");
        assertNotFound("/ctx/" + tmp.resolve("secret.txt"));
        assertNull(StaticFiles.segments("/a/../b"));
    }

    @Test
    void webInfAndMetaInfAreNeverServed() {
        assertNotFound("/ctx/WEB-INF/web.xml");
        assertNotFound("/ctx/web-inf/web.xml");
        assertNotFound("/ctx/%57EB-INF/web.xml");
        assertNotFound("/ctx/META-INF/resources/webjars/demo/1.0/demo.css");
    }

    @Test
    void percentEncodedNamesAreDecoded() throws IOException {
        write(webapp.resolve("a b+c é.txt"), "spaced");
        assertFound("/ctx/a%20b+c%20%C3%A9.txt", "text/plain;charset=utf-8", "spaced");
    }

    @Test
    void webJarResourcesComeFromTheClassPath() throws IOException {
        // src/test/resources/META-INF/resources, a directory on the class path
        assertFound("/ctx/webjars/demo/1.0/demo.css", "text/css;charset=utf-8", ".demo { color: teal; }\n");
        assertFound("/ctx/webjars/demo/1.0/docs/", "text/html;charset=utf-8", "<!doctype html><title>demo docs</title>\n");
        assertRedirect("/ctx/webjars/demo/1.0/docs", "/ctx/webjars/demo/1.0/docs/");
        assertNotFound("/ctx/webjars/demo/1.0");
        assertNotFound("/ctx/webjars/demo/1.0/missing.css");
        assertNotFound("/ctx/webjars/../../local/textchat/tyrus/fixture/EchoEndpoint.class");
    }

    @Test
    void webJarResourcesComeFromJars() throws IOException {
        Path jar = tmp.resolve("lib-1.0.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String dir : List.of("META-INF/", "META-INF/resources/", "META-INF/resources/webjars/",
                    "META-INF/resources/webjars/lib/", "META-INF/resources/webjars/lib/1.0/")) {
                out.putNextEntry(new JarEntry(dir));
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/resources/webjars/lib/1.0/lib.js"));
            out.write("lib();".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            out.putNextEntry(new JarEntry("META-INF/resources/webjars/lib/1.0/font.woff2"));
            out.write(new byte[] {0x77, 0x4f, 0x46, 0x32});
            out.closeEntry();
            out.putNextEntry(new JarEntry("secret.properties"));
            out.write("x=1".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            StaticFiles fromJar = new StaticFiles("/ctx", webapp, loader);
            StaticFiles.Lookup js = fromJar.lookup("/ctx/webjars/lib/1.0/lib.js");
            assertEquals(200, js.status());
            assertEquals("text/javascript;charset=utf-8", js.contentType());
            assertEquals("lib();", read(js.resource()));
            assertEquals("font/woff2", fromJar.lookup("/ctx/webjars/lib/1.0/font.woff2").contentType());
            assertEquals(404, fromJar.lookup("/ctx/webjars/lib/1.0").status());
            assertEquals(404, fromJar.lookup("/ctx/webjars/lib/1.0/").status());
            assertEquals(404, fromJar.lookup("/ctx/../secret.properties").status());
            assertEquals(404, fromJar.lookup("/ctx/webjars/../../../secret.properties").status());
            // the webapp directory still comes first
            assertEquals(200, fromJar.lookup("/ctx/index.html").status());
        }
    }

    @Test
    void webappDirectoryWinsOverTheClassPath() throws IOException {
        write(webapp.resolve("webjars/demo/1.0/demo.css"), ".mine {}");
        assertFound("/ctx/webjars/demo/1.0/demo.css", "text/css;charset=utf-8", ".mine {}");
    }

    @Test
    void rootContextPath() throws IOException {
        StaticFiles root = new StaticFiles("", webapp, getClass().getClassLoader());
        StaticFiles.Lookup index = root.lookup("/");
        assertEquals(200, index.status());
        assertEquals("<!doctype html><title>home</title>", read(index.resource()));
        assertEquals(200, root.lookup("/js/app.js").status());
        assertEquals(404, root.lookup("/../secret.txt").status());
    }

    @Test
    void missingWebappDirectoryStillServesTheClassPath() {
        StaticFiles noWebapp = new StaticFiles("/ctx", tmp.resolve("does-not-exist"), getClass().getClassLoader());
        assertEquals(404, noWebapp.lookup("/ctx/").status());
        assertEquals(200, noWebapp.lookup("/ctx/webjars/demo/1.0/demo.css").status());
    }

    private void assertFound(String path, String contentType, String body) throws IOException {
        StaticFiles.Lookup lookup = files.lookup(path);
        assertEquals(200, lookup.status(), path);
        assertEquals(contentType, lookup.contentType(), path);
        assertEquals(body, read(lookup.resource()), path);
    }

    private void assertRedirect(String path, String location) {
        StaticFiles.Lookup lookup = files.lookup(path);
        assertEquals(302, lookup.status(), path);
        assertEquals(location, lookup.location(), path);
    }

    private void assertNotFound(String path) {
        StaticFiles.Lookup lookup = files.lookup(path);
        assertEquals(404, lookup.status(), path);
        assertNull(lookup.resource(), path);
    }

    private static String read(URL url) throws IOException {
        try (InputStream in = url.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(Files.isRegularFile(file));
    }
}
