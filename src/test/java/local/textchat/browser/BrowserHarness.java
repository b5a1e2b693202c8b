package local.textchat.browser;

import java.io.File;
import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * One browser test's world: the real webapp and endpoint ({@link WebappServer}) and one headless
 * Chromium, set up as shared/WEBRTC-TESTING.md prescribes. Tabs come from {@link #openTab()}.
 * A failing test gets the browser console of all its tabs printed; the browser always quits.
 *
 * <p>Runs only where the network has nothing but loopback (failsafe starts the test JVM in such
 * a namespace) and Chromium is installed. Elsewhere the tests are skipped, except under
 * {@code CI=true}, where either lack is a failure.
 */
final class BrowserHarness implements BeforeEachCallback, AfterTestExecutionCallback, AfterEachCallback {

    static final String CHROMIUM = envOr("CHROMIUM_BINARY", "/usr/bin/chromium");
    static final String CHROMEDRIVER = envOr("CHROMEDRIVER_BINARY", "/usr/bin/chromedriver");
    /** The ICE servers the test server hands out: loopback only, and recognisable in the browser. */
    static final String ICE_SERVERS = "[{\"urls\":\"stun:127.0.0.1:3478\"}]";

    private static final String PEER_CONNECTION_TRACKER = """
            (() => {
              const Native = window.RTCPeerConnection;
              if (!Native) return;
              const peerConnections = [];
              // When each connection was made and changed state (epoch ms, comparable across tabs).
              const events = [];
              Object.defineProperty(window, '__textchatTest', { value: { peerConnections, events } });
              window.RTCPeerConnection = new Proxy(Native, {
                construct(target, args, newTarget) {
                  const pc = Reflect.construct(target, args, newTarget);
                  const index = peerConnections.push(pc) - 1;
                  const log = (kind, state) => events.push({ pc: index, kind, state, at: performance.timeOrigin + performance.now() });
                  log('created', 'new');
                  pc.addEventListener('iceconnectionstatechange', () => log('ice', pc.iceConnectionState));
                  pc.addEventListener('connectionstatechange', () => log('connection', pc.connectionState));
                  return pc;
                },
              });
            })();
            """;

    // Held strongly: java.util.logging forgets the level of a logger nobody references.
    private static final List<java.util.logging.Logger> QUIETED = List.of(
            quiet("org.glassfish.grizzly", Level.WARNING),  // listener started/stopped, every test
            quiet("org.openqa.selenium.devtools.CdpVersionFinder", Level.SEVERE)); // "CDP 156 … 153": harmless

    private final String language;
    private final List<ChatTab> tabs = new ArrayList<>();
    private final List<String> console = new ArrayList<>();
    private final List<String> settingsGiven = new ArrayList<>();
    /** Where the page is when a deployed application is tested instead of {@link WebappServer}. */
    private final Supplier<URI> deployed;
    private WebappServer server;
    private URI page;
    private ChromeDriver driver;
    private Path profile;

    /** A browser in its default language (English). */
    BrowserHarness() {
        this(null);
    }

    /** A browser whose UI and preferred languages are {@code language}, e.g. zh-TW. */
    BrowserHarness(String language) {
        this(language, null);
    }

    private BrowserHarness(String language, Supplier<URI> deployed) {
        this.language = language;
        this.deployed = deployed;
    }

    /** A browser on the page at the URI {@code page} gives, asked before each test: a deployed WAR. */
    static BrowserHarness against(Supplier<URI> page) {
        return new BrowserHarness(null, page);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        requireLoopbackOnlyNetwork();
        requireBrowser();
        if (deployed == null) {
            System.setProperty("textchat.iceServers", ICE_SERVERS);
            server = WebappServer.start(Path.of("src/main/webapp"));
            page = server.page();
        } else {
            page = deployed.get();
        }
        profile = Files.createTempDirectory("textchat-chromium-");
        driver = startChromium();
    }

    /** Prints the browser console of a failed test (of every test with -Dtextchat.printConsole=true). */
    @Override
    public void afterTestExecution(ExtensionContext context) {
        boolean wanted = context.getExecutionException().isPresent() || Boolean.getBoolean("textchat.printConsole");
        if (wanted && driver != null) {
            System.out.println("---- browser console of " + context.getDisplayName() + " ----");
            consoleLog().forEach(System.out::println);
            System.out.println("---- end of browser console ----");
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            driver = null;
            tabs.clear();
            if (server != null) {
                server.close();
            }
            settingsGiven.forEach(System::clearProperty);
            settingsGiven.clear();
            if (profile != null) {
                deleteTree(profile);
            }
        }
    }

    /**
     * Gives this test's server {@code textchat.*} settings (e.g. TURN) on top of the harness's, until
     * the test ends. Only before the first tab: the endpoint reads its settings at the first handshake.
     */
    void settings(Map<String, String> settings) {
        if (!tabs.isEmpty() || deployed != null) {
            throw new IllegalStateException("settings must be given before the first tab, to the harness's own server");
        }
        settings.forEach((key, value) -> {
            System.setProperty(key, value);
            settingsGiven.add(key);
        });
    }

    /** A new tab showing the chat page: the first reuses the browser's window. */
    ChatTab openTab() {
        return openTab(page);
    }

    /** A new tab showing the chat page at {@code at} (another server's, e.g. another node of a cluster). */
    ChatTab openTab(URI at) {
        if (!tabs.isEmpty()) {
            driver.switchTo().newWindow(WindowType.TAB);
        }
        // Lets a test read the page's RTCPeerConnections (getStats) without the app exposing them.
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", PEER_CONNECTION_TRACKER));
        String handle = driver.getWindowHandle();
        driver.get(at.toString());
        ChatTab tab = new ChatTab(driver, handle);
        tabs.add(tab);
        return tab;
    }

    WebappServer server() {
        return server;
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Everything the tabs logged to the console so far (reading drains Chromium's buffer). */
    List<String> consoleLog() {
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            console.add(entry.getLevel() + " " + entry.getMessage());
        }
        return List.copyOf(console);
    }

    private ChromeDriver startChromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile,
                "--disable-features=WebRtcHideLocalIpsWithMdns",
                "--allow-loopback-in-peer-connection",
                "--use-fake-ui-for-media-stream",
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                "--disable-background-timer-throttling",
                "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows",
                "--disable-dev-shm-usage",
                "--window-size=1000,760");
        if (language != null) {
            options.addArguments("--lang=" + language);
            options.setExperimentalOption("prefs", Map.of("intl.accept_languages", language));
        }
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    private static void requireLoopbackOnlyNetwork() throws SocketException {
        List<String> others = NetworkInterface.networkInterfaces()
                .filter(BrowserHarness::isUpAndNotLoopback)
                .map(NetworkInterface::getName)
                .toList();
        String problem = "the browser tests need a network with only loopback, but these interfaces are up: "
                + others + " (failsafe runs the tests through src/test/netns/bin/java, which needs unshare)";
        requireOrSkip(others.isEmpty(), problem);
    }

    private static boolean isUpAndNotLoopback(NetworkInterface nic) {
        try {
            return nic.isUp() && !nic.isLoopback();
        } catch (SocketException e) {
            return true;
        }
    }

    private static void requireBrowser() {
        boolean present = Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER));
        requireOrSkip(present, "the browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
                + " (apt-get install chromium chromium-driver; .ci/run installs them)");
    }

    private static void requireOrSkip(boolean condition, String problem) {
        if (condition) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true: " + problem);
        }
        Assumptions.abort(problem);
    }

    private static java.util.logging.Logger quiet(String name, Level level) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(level);
        return logger;
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            System.err.println("could not delete " + root + ": " + e);
        }
    }
}
