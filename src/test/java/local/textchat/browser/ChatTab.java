package local.textchat.browser;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One person's tab of the chat page, driven the way a person would: through the visible
 * controls, found by their {@code data-testid}. Every action first brings its own tab forward.
 */
final class ChatTab {

    static final Duration PATIENCE = Duration.ofSeconds(15);

    private static final String SELECTED_PAIR = """
            const done = arguments[arguments.length - 1];
            const pc = window.__textchatTest.peerConnections.at(-1);
            pc.getStats().then((report) => {
              let pair = null;
              report.forEach((s) => {
                if (s.type === 'transport' && s.selectedCandidatePairId) pair = report.get(s.selectedCandidatePairId);
              });
              const describe = (c) => c && {
                address: c.address, port: c.port, protocol: c.protocol,
                candidateType: c.candidateType, relayProtocol: c.relayProtocol ?? null,
              };
              done(pair ? { local: describe(report.get(pair.localCandidateId)),
                            remote: describe(report.get(pair.remoteCandidateId)) } : null);
            }, (error) => done({ error: String(error) }));
            """;

    private final ChromeDriver driver;
    private final String handle;
    private String name;

    ChatTab(ChromeDriver driver, String handle) {
        this.driver = driver;
        this.handle = handle;
    }

    private WebDriver here() {
        return driver.switchTo().window(handle);
    }

    private WebElement byTestId(String testId) {
        return here().findElement(By.cssSelector("[data-testid='" + testId + "']"));
    }

    /** Waits until {@code condition} holds in this tab and returns its value. */
    <T> T await(String what, Function<WebDriver, T> condition) {
        return await(what, PATIENCE, condition);
    }

    /** Waits up to {@code patience} until {@code condition} holds in this tab and returns its value. */
    <T> T await(String what, Duration patience, Function<WebDriver, T> condition) {
        WebDriverWait wait = new WebDriverWait(driver, patience, Duration.ofMillis(100));
        wait.withMessage(() -> what);
        return wait.until(d -> condition.apply(here()));
    }

    // --- signing in ---------------------------------------------------------------------

    /** The name this tab last asked to sign in with. */
    String name() {
        return name;
    }

    void signIn(String name) {
        this.name = name;
        WebElement field = byTestId("signin-name");
        field.clear();
        field.sendKeys(name, Keys.ENTER);
    }

    void signInAndWait(String name) {
        signIn(name);
        awaitConnection("online");
    }

    String signInError() {
        return await("a sign-in error", d -> {
            String text = textOf(byTestId("signin-error"));
            return text.isEmpty() ? null : text;
        });
    }

    boolean signInShown() {
        return byTestId("signin-view").isDisplayed();
    }

    void awaitConnection(String state) {
        await("connection state " + state, d -> state.equals(byTestId("connection-status").getAttribute("data-state")));
    }

    String connectionState() {
        return byTestId("connection-status").getAttribute("data-state");
    }

    String connectionText() {
        return textOf(byTestId("connection-text"));
    }

    // --- people -------------------------------------------------------------------------

    List<String> onlineUsers() {
        // The list is re-rendered on every presence event; an element found may be replaced before it is read.
        for (int attempt = 1; ; attempt++) {
            try {
                return here().findElements(By.cssSelector("[data-testid='user'] [data-testid='user-name']"))
                        .stream().map(ChatTab::textOf).toList();
            } catch (org.openqa.selenium.StaleElementReferenceException rerendered) {
                if (attempt == 5) {
                    throw rerendered;
                }
            }
        }
    }

    void awaitUser(String name) {
        await(name + " in the online list", d -> onlineUsers().contains(name));
    }

    void awaitNoUser(String name) {
        await(name + " gone from the online list", d -> !onlineUsers().contains(name));
    }

    void call(String name) {
        awaitUser(name);
        here().findElements(By.cssSelector("[data-testid='user']")).stream()
                .filter(item -> name.equals(item.getAttribute("data-name")))
                .findFirst().orElseThrow()
                .findElement(By.cssSelector("[data-testid='call-user']"))
                .click();
    }

    void callByName(String name) {
        WebElement field = byTestId("call-name");
        field.clear();
        field.sendKeys(name, Keys.ENTER);
    }

    // --- the call -----------------------------------------------------------------------

    /** This tab calls {@code callee}, who accepts; returns once both have an open chat channel. */
    void callAndConnect(ChatTab callee) {
        call(callee.name());
        callee.awaitIncomingCallFrom(name);
        callee.accept();
        awaitCallState("connected");
        callee.awaitCallState("connected");
    }

    void awaitIncomingCallFrom(String name) {
        await("an incoming call from " + name, d -> {
            WebElement dialog = byTestId("incoming-call");
            return dialog.isDisplayed() && name.equals(dialog.getAttribute("data-caller"));
        });
    }

    String incomingText() {
        return textOf(byTestId("incoming-text"));
    }

    void accept() {
        byTestId("accept").click();
    }

    /** Accepts with the keyboard alone: the prompt puts focus on Accept. */
    void acceptWithEnter() {
        here().switchTo().activeElement().sendKeys(Keys.ENTER);
    }

    void decline() {
        byTestId("decline").click();
    }

    boolean incomingShown() {
        return byTestId("incoming-call").isDisplayed();
    }

    void hangUp() {
        byTestId("hangup").click();
    }

    void awaitCallState(String state) {
        await("call state " + state, d -> state.equals(callState()));
    }

    String callState() {
        return byTestId("call-status").getAttribute("data-state");
    }

    String callText() {
        return textOf(byTestId("call-text"));
    }

    boolean sendEnabled() {
        return byTestId("send").isEnabled();
    }

    // --- messages -----------------------------------------------------------------------

    /** Types the message and presses Enter, as a person would. */
    void send(String text) {
        await("the send button enabled", d -> sendEnabled());
        byTestId("message-input").sendKeys(text, Keys.ENTER);
    }

    /** The displayed message whose text is exactly {@code text}, once it is there. */
    WebElement awaitMessage(String text, boolean own) {
        return await((own ? "own" : "peer") + " message \"" + text + "\"", d -> findMessage(text, own).orElse(null));
    }

    Optional<WebElement> findMessage(String text, boolean own) {
        return here().findElements(By.cssSelector("[data-testid='message']")).stream()
                .filter(item -> String.valueOf(own).equals(item.getAttribute("data-own")))
                .filter(item -> text.equals(item.findElement(By.cssSelector("[data-testid='message-text']"))
                        .getDomProperty("textContent")))
                .findFirst();
    }

    void awaitDelivered(String text) {
        await("\"" + text + "\" marked delivered", d -> findMessage(text, true)
                .map(item -> item.findElement(By.cssSelector("[data-testid='message-status']")))
                .map(status -> "delivered".equals(status.getAttribute("data-state")))
                .orElse(false));
    }

    List<String> systemMessages() {
        return here().findElements(By.cssSelector("[data-testid='system-message']"))
                .stream().map(ChatTab::textOf).toList();
    }

    String awaitSystemMessageContaining(String part) {
        return await("a system message containing \"" + part + "\"",
                d -> systemMessages().stream().filter(m -> m.contains(part)).findFirst().orElse(null));
    }

    List<String> notices() {
        return here().findElements(By.cssSelector("[data-testid='notice']")).stream().map(ChatTab::textOf).toList();
    }

    String awaitNoticeContaining(String part) {
        return await("a notice containing \"" + part + "\"",
                d -> notices().stream().filter(m -> m.contains(part)).findFirst().orElse(null));
    }

    // --- inspection ---------------------------------------------------------------------

    Object script(String script, Object... args) {
        return ((JavascriptExecutor) here()).executeScript(script, args);
    }

    Object asyncScript(String script, Object... args) {
        return ((JavascriptExecutor) here()).executeAsyncScript(script, args);
    }

    /**
     * The newest peer connection's selected candidate pair, from getStats: {@code local} and
     * {@code remote}, each with address, port, protocol, candidateType and (local) relayProtocol.
     */
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> selectedPair() {
        return (Map<String, Map<String, Object>>) asyncScript(SELECTED_PAIR);
    }

    /**
     * Epoch milliseconds at which the newest peer connection was created ({@code kind} "created"),
     * or first reached {@code state} ({@code kind} "connection" or "ice") after {@code after}; null if not yet.
     */
    Double connectionEventAt(String kind, String state, double after) {
        Object at = script("""
                const [kind, state, after] = arguments;
                const t = window.__textchatTest;
                const pc = t.peerConnections.length - 1;
                const event = t.events.find((e) => e.pc === pc && e.kind === kind && e.state === state && e.at > after);
                return event ? event.at : null;
                """, kind, state, after);
        return at == null ? null : ((Number) at).doubleValue();
    }

    WebElement element(String testId) {
        return byTestId(testId);
    }

    byte[] screenshot() {
        here();
        return driver.getScreenshotAs(OutputType.BYTES);
    }

    void close() {
        here().close();
    }

    private static String textOf(WebElement element) {
        String text = element.getDomProperty("textContent");
        return text == null ? "" : text.strip();
    }
}
