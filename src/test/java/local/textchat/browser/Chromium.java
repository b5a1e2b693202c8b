package local.textchat.browser;

import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptException;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/** Headless Chromium through chromedriver (Selenium), set up as shared/WEBRTC-TESTING.md prescribes. */
final class Chromium implements Browser {

    static final String BINARY = BrowserHarness.envOr("CHROMIUM_BINARY", "/usr/bin/chromium");
    static final String CHROMEDRIVER = BrowserHarness.envOr("CHROMEDRIVER_BINARY", "/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final Path profile;
    private final List<String> console = new ArrayList<>();
    private int tabs;

    private Chromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Whether this machine has what {@link #start} needs; the reason when not. */
    static String missing() {
        boolean present = java.nio.file.Files.isExecutable(Path.of(BINARY))
                && java.nio.file.Files.isExecutable(Path.of(CHROMEDRIVER));
        return present ? null : "the browser tests need " + BINARY + " and " + CHROMEDRIVER
                + " (apt-get install chromium chromium-driver; .ci/run installs them)";
    }

    /** A fresh Chromium with its own profile in {@code profile}, in {@code language} (null: the default). */
    static Chromium start(Path profile, String language) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY);
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
        return new Chromium(new ChromeDriver(service, options), profile);
    }

    @Override
    public Kind kind() {
        return Kind.CHROMIUM;
    }

    @Override
    public BrowserTab openTab(URI page) {
        if (tabs++ > 0) {
            // A window rather than a tab: each page stays in front (as two people's would), so
            // none is hidden while the test uses another (see coverWithAnotherTab).
            driver.switchTo().newWindow(WindowType.WINDOW);
        }
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", PAGE_PROBE));
        String handle = driver.getWindowHandle();
        driver.get(page.toString());
        return new Tab(handle);
    }

    /** Reading drains Chromium's buffer (of all tabs at once); what was read is kept here. */
    @Override
    public List<String> consoleLog() {
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            console.add(entry.getLevel() + " " + entry.getMessage());
        }
        return List.copyOf(console);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } catch (RuntimeException e) {
            System.err.println("Chromium did not quit cleanly: " + e);
        } finally {
            BrowserHarness.deleteTree(profile);
        }
    }

    /** One window handle of the driver; every action first brings its tab forward. */
    private final class Tab implements BrowserTab {
        private final String handle;
        /** The tab opened in front of this one, if any. */
        private String cover;

        Tab(String handle) {
            this.handle = handle;
        }

        private WebDriver here() {
            return driver.switchTo().window(handle);
        }

        @Override
        public Object script(String body, Object... args) {
            return inPage(() -> driver.executeScript(body, args));
        }

        @Override
        public Object asyncScript(String body, Object... args) {
            return inPage(() -> driver.executeAsyncScript(body, args));
        }

        private Object inPage(Supplier<Object> script) {
            here();
            try {
                return script.get();
            } catch (JavascriptException e) {
                throw new ScriptException(e.getRawMessage(), e);
            }
        }

        @Override
        public void click(String css) {
            here().findElement(By.cssSelector(css)).click();
        }

        @Override
        public void clear(String css) {
            here().findElement(By.cssSelector(css)).clear();
        }

        @Override
        public void typeAndEnter(String css, String text) {
            here().findElement(By.cssSelector(css)).sendKeys(text, Keys.ENTER);
        }

        @Override
        public void type(String css, String text) {
            here().findElement(By.cssSelector(css)).sendKeys(text);
        }

        @Override
        public void pressEnter() {
            here().switchTo().activeElement().sendKeys(Keys.ENTER);
        }

        /** Through WebDriver classic: only a dialog still open is seen (a page's alert stays open). */
        @Override
        public List<String> dialogsOpened() {
            try {
                return List.of(here().switchTo().alert().getText());
            } catch (NoAlertPresentException none) {
                return List.of();
            }
        }

        /** Headless Chromium has no window frame: the window's size is the viewport's. */
        @Override
        public void resize(int width, int height) {
            here().manage().window().setSize(new Dimension(width, height));
        }

        @Override
        public void grantNotifications() {
            String origin = (String) script("return location.origin;");
            // setPermission, not grantPermissions: that one also denies every other permission,
            // the camera's among them, and with it the loopback candidates the calls need.
            driver.executeCdpCommand("Browser.setPermission", Map.of("origin", origin,
                    "permission", Map.of("name", "notifications"), "setting", "granted"));
        }

        /**
         * Each page here has a window of its own; minimizing it puts the page in the background
         * as a second tab in front would (chromedriver brings a tab to the front whenever the
         * test reads it, so a covering tab would not stay in front).
         */
        @Override
        public void coverWithAnotherTab() {
            here().manage().window().minimize();
        }

        @Override
        public void uncover() {
            here().manage().window().setSize(new Dimension(1000, 760));
        }

        @Override
        public byte[] screenshot() {
            here();
            return driver.getScreenshotAs(OutputType.BYTES);
        }

        @Override
        public void close() {
            here().close();
        }
    }
}
