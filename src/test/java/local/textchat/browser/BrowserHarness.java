package local.textchat.browser;

import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import jakarta.websocket.DeploymentException;

import local.textchat.app.App;
import local.textchat.browser.Browser.Kind;
import local.textchat.config.Settings;

import local.textchat.support.Dependencies;

/**
 * One browser test's world: the real webapp and endpoint ({@link WebappServer}) and the headless
 * browsers the test opens tabs in, each started on its first tab (Chromium unless the test asks
 * for Firefox; see {@link Chromium} and {@link Firefox}). A failing test gets the console of all
 * its tabs printed; every browser always ends and its profile is deleted.
 *
 * <p>Runs only where the network has nothing but loopback (failsafe starts the test JVM in such
 * a namespace) and the browser is installed. Elsewhere the tests are skipped, except under
 * {@code CI=true}, where either lack is a failure.
 */
final class BrowserHarness implements BeforeEachCallback, AfterTestExecutionCallback, AfterEachCallback {

    /** The ICE servers the test server hands out: loopback only, and recognisable in the browser. */
    static final String ICE_SERVERS = "[{\"urls\":\"stun:127.0.0.1:3478\"}]";

    // Held strongly: java.util.logging forgets the level of a logger nobody references.
    private static final List<java.util.logging.Logger> QUIETED = List.of(
            quiet("org.glassfish.grizzly", Level.WARNING),  // listener started/stopped, every test
            quiet("org.openqa.selenium.devtools.CdpVersionFinder", Level.SEVERE)); // "CDP 156 … 153": harmless

    private final Kind defaultKind;
    private final String language;
    private final Map<Kind, Browser> browsers = new EnumMap<>(Kind.class);
    private final Map<String, String> settings = new HashMap<>();
    /** Where the page is when a deployed application is tested instead of {@link WebappServer}. */
    private final Supplier<URI> deployed;
    private WebappServer server;
    private App app;
    private URI page;
    private int opened;

    /** Chromium in its default language (English). */
    BrowserHarness() {
        this(Kind.CHROMIUM, null);
    }

    /** Chromium whose UI and preferred languages are {@code language}, e.g. zh-TW. */
    BrowserHarness(String language) {
        this(Kind.CHROMIUM, language);
    }

    /** {@code kind} of browser, preferring {@code language} (null: English); other kinds on request. */
    BrowserHarness(Kind kind, String language) {
        this(kind, language, null);
    }

    private BrowserHarness(Kind kind, String language, Supplier<URI> deployed) {
        this.defaultKind = kind;
        this.language = language;
        this.deployed = deployed;
    }

    /** Chromium on the page at the URI {@code page} gives, asked before each test: a deployed WAR. */
    static BrowserHarness against(Supplier<URI> page) {
        return new BrowserHarness(Kind.CHROMIUM, null, page);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        requireLoopbackOnlyNetwork();
        settings.put("textchat.iceServers", ICE_SERVERS);
        if (deployed != null) {
            page = deployed.get();
        }
    }

    /** Prints the browser console of a failed test (of every test with -Dtextchat.printConsole=true). */
    @Override
    public void afterTestExecution(ExtensionContext context) {
        boolean wanted = context.getExecutionException().isPresent() || Boolean.getBoolean("textchat.printConsole");
        if (!wanted) {
            return;
        }
        for (Browser browser : browsers.values()) {
            System.out.println("---- " + browser.kind() + " console of " + context.getDisplayName() + " ----");
            try {
                browser.consoleLog().forEach(System.out::println);
            } catch (RuntimeException e) {
                System.out.println("(could not read it: " + e + ")");
            }
            System.out.println("---- end of " + browser.kind() + " console ----");
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            browsers.values().forEach(Browser::close);
        } finally {
            browsers.clear();
            opened = 0;
            if (server != null) {
                server.close(); // and with it the app, as an undeploy
                server = null;
            }
            settings.clear();
            page = null;
        }
    }

    /**
     * Gives this test's server {@code textchat.*} settings (e.g. TURN) on top of the harness's.
     * Only before the first tab: the server starts with its settings when the first tab opens.
     */
    void settings(Map<String, String> more) {
        if (server != null || deployed != null) {
            throw new IllegalStateException("settings must be given before the first tab, to the harness's own server");
        }
        settings.putAll(more);
    }

    /** A new tab showing the chat page, in the harness's browser: the first reuses its window. */
    ChatTab openTab() {
        return openTab(defaultKind, page());
    }

    /** A new tab showing the chat page in a browser of {@code kind}, started if this test has none yet. */
    ChatTab openTab(Kind kind) {
        return openTab(kind, page());
    }

    /** A new tab in a browser of {@code kind}, signed in as {@code name} (the people list shown). */
    ChatTab signedIn(Kind kind, String name) {
        ChatTab tab = openTab(kind);
        tab.signInAndWait(name);
        return tab;
    }

    /** The chat page: of the harness's own server (started now with this test's settings, if not yet), or the deployed one. */
    URI page() {
        if (page == null) {
            server();
        }
        return page;
    }

    /** A new tab showing the chat page at {@code at} (another server's, e.g. another node of a cluster). */
    ChatTab openTab(URI at) {
        return openTab(defaultKind, at);
    }

    private ChatTab openTab(Kind kind, URI at) {
        opened++;
        return new ChatTab(browser(kind).openTab(at), kind);
    }

    WebappServer server() {
        if (deployed != null) {
            throw new IllegalStateException("this harness tests a deployed application");
        }
        if (server == null) {
            app = App.start(Settings.of(settings));
            try {
                server = WebappServer.start(app);
            } catch (IOException | DeploymentException e) {
                app.close();
                throw new IllegalStateException("could not start the test server", e);
            }
            page = server.page();
        }
        return server;
    }

    /** Everything the tabs of all this test's browsers logged to the console so far. */
    List<String> consoleLog() {
        return browsers.values().stream().flatMap(browser -> browser.consoleLog().stream()).toList();
    }

    private Browser browser(Kind kind) {
        Browser running = browsers.get(kind);
        if (running == null) {
            require(kind);
            running = start(kind);
            browsers.put(kind, running);
        }
        return running;
    }

    private Browser start(Kind kind) {
        try {
            return switch (kind) {
                case CHROMIUM -> Chromium.start(Files.createTempDirectory("textchat-chromium-"), language);
                case FIREFOX -> Firefox.start(language);
            };
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + kind, e);
        }
    }

    private static void require(Kind kind) {
        String missing = switch (kind) {
            case CHROMIUM -> Chromium.missing();
            case FIREFOX -> Firefox.missing();
        };
        Dependencies.require(missing == null, missing);
    }

    private static void requireLoopbackOnlyNetwork() throws SocketException {
        List<String> others = NetworkInterface.networkInterfaces()
                .filter(BrowserHarness::isUpAndNotLoopback)
                .map(NetworkInterface::getName)
                .toList();
        String problem = "the browser tests need a network with only loopback, but these interfaces are up: "
                + others + " (failsafe runs the tests through src/test/netns/bin/java, which needs unshare)";
        Dependencies.require(others.isEmpty(), problem);
    }

    private static boolean isUpAndNotLoopback(NetworkInterface nic) {
        try {
            return nic.isUp() && !nic.isLoopback();
        } catch (SocketException e) {
            return true;
        }
    }

    private static java.util.logging.Logger quiet(String name, Level level) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(level);
        return logger;
    }

    static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Deletes {@code root} and everything in it; a failure is reported, never thrown. */
    static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            System.err.println("could not delete " + root + ": " + e);
        }
    }
}
