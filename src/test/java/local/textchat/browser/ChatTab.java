package local.textchat.browser;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import local.textchat.browser.Browser.Kind;

/**
 * One person's tab of the chat page, driven the way a person would: through the visible
 * controls, found by their {@code data-testid}, with the browser's own clicks and key presses.
 * The same in every browser: it reads the page with JavaScript and acts through {@link BrowserTab}.
 */
final class ChatTab {

    static final Duration PATIENCE = Duration.ofSeconds(15);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final String NO_ELEMENT = "textchat-test: no element ";

    /** Defines byTestId(id) and shown(el) for the script that follows it. */
    private static final String HELPERS = """
            const byTestId = (id) => {
              const found = document.querySelector(`[data-testid='${id}']`);
              if (!found) throw new Error('%s' + id);
              return found;
            };
            const shown = (el) => el.checkVisibility({ visibilityProperty: true, checkVisibilityCSS: true });
            """.formatted(NO_ELEMENT);

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

    /** An element the page does not have (yet): waiting goes on, as WebDriver's waits do. */
    static final class NoElement extends RuntimeException {
        NoElement(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * One element of the page, by {@code data-testid}, looked up afresh on every read (so a
     * re-rendered element is never stale). Reads are named like Selenium's WebElement's.
     */
    final class Element {
        private final String testId;

        private Element(String testId) {
            this.testId = testId;
        }

        String getAttribute(String name) {
            return (String) query("return byTestId(arguments[0]).getAttribute(arguments[1])", testId, name);
        }

        String getDomProperty(String name) {
            return (String) query("""
                    const value = byTestId(arguments[0])[arguments[1]];
                    return value === null || value === undefined ? null : String(value);
                    """, testId, name);
        }

        boolean isDisplayed() {
            return (Boolean) query("return shown(byTestId(arguments[0]))", testId);
        }

        boolean isEnabled() {
            return !(Boolean) query("return byTestId(arguments[0]).disabled === true", testId);
        }

        /** The text, trimmed. */
        String text() {
            String text = getDomProperty("textContent");
            return text == null ? "" : text.strip();
        }
    }

    private final BrowserTab tab;
    private final Kind browser;
    private String name;

    ChatTab(BrowserTab tab, Kind browser) {
        this.tab = tab;
        this.browser = browser;
    }

    /** Which browser this tab is in. */
    Kind browser() {
        return browser;
    }

    private static String byTestIdCss(String testId) {
        return "[data-testid='" + testId + "']";
    }

    /** Runs {@code body} after {@link #HELPERS}; a missing element becomes {@link NoElement}. */
    private Object query(String body, Object... args) {
        try {
            return tab.script(HELPERS + body, args);
        } catch (BrowserTab.ScriptException e) {
            if (String.valueOf(e.getMessage()).contains(NO_ELEMENT)) {
                throw new NoElement(e.getMessage(), e);
            }
            throw e;
        }
    }

    /** Waits until {@code condition} holds in this tab and returns its value. */
    <T> T await(String what, Function<ChatTab, T> condition) {
        return await(what, PATIENCE, condition);
    }

    /**
     * Waits up to {@code patience} until {@code condition} gives neither null nor false (a missing
     * element counts as not yet) and returns its value.
     */
    <T> T await(String what, Duration patience, Function<ChatTab, T> condition) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            NoElement missing = null;
            try {
                T value = condition.apply(this);
                if (value != null && !Boolean.FALSE.equals(value)) {
                    return value;
                }
            } catch (NoElement e) {
                missing = e;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + patience.toSeconds() + " s in " + browser + " for " + what
                        + (name == null ? "" : " (tab of " + name + ")"), missing);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }

    // --- signing in ---------------------------------------------------------------------

    /** The name this tab last asked to sign in with. */
    String name() {
        return name;
    }

    void signIn(String name) {
        this.name = name;
        tab.clear(byTestIdCss("signin-name"));
        tab.typeAndEnter(byTestIdCss("signin-name"), name);
    }

    void signInAndWait(String name) {
        signIn(name);
        awaitConnection("online");
    }

    String signInError() {
        return await("a sign-in error", d -> {
            String text = element("signin-error").text();
            return text.isEmpty() ? null : text;
        });
    }

    boolean signInShown() {
        return element("signin-view").isDisplayed();
    }

    void awaitConnection(String state) {
        await("connection state " + state, d -> state.equals(connectionState()));
    }

    String connectionState() {
        return element("connection-status").getAttribute("data-state");
    }

    String connectionText() {
        return element("connection-text").text();
    }

    // --- people -------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    List<String> onlineUsers() {
        return (List<String>) query("""
                return [...document.querySelectorAll("[data-testid='user'] [data-testid='user-name']")]
                    .map((el) => el.textContent.trim());
                """);
    }

    void awaitUser(String name) {
        await(name + " in the online list", d -> onlineUsers().contains(name));
    }

    void awaitNoUser(String name) {
        await(name + " gone from the online list", d -> !onlineUsers().contains(name));
    }

    /** Types {@code prefix} into the directory's search (a large deployment's list). */
    void search(String prefix) {
        tab.clear(byTestIdCss("people-search"));
        tab.typeAndEnter(byTestIdCss("people-search"), prefix);
    }

    /** The directory's summary ("Showing 1 of 3…"), or null while the list shows everyone. */
    String directorySummary() {
        return element("directory").isDisplayed() ? element("directory-summary").text() : null;
    }

    void call(String name) {
        awaitUser(name);
        tab.click("[data-testid='user'][data-name=" + cssString(name) + "] [data-testid='call-user']");
    }

    void callByName(String name) {
        tab.clear(byTestIdCss("call-name"));
        tab.typeAndEnter(byTestIdCss("call-name"), name);
    }

    // --- typing and read marks ---------------------------------------------------------

    /** Types into the composer without sending. */
    void typeWithoutSending(String text) {
        tab.type(byTestIdCss("message-input"), text);
    }

    /** Sends what is in the composer (Enter). */
    void sendComposed() {
        tab.typeAndEnter(byTestIdCss("message-input"), "");
    }

    /** The "… is typing" line, or null when it is not shown. */
    String typingShown() {
        Element typing = element("typing");
        return typing.isDisplayed() ? typing.text() : null;
    }

    /** Unchecks or checks "Send read receipts". */
    void setReadReceipts(boolean on) {
        if (Boolean.TRUE.equals(tab.script("return document.getElementById('read-receipts').checked;")) != on) {
            tab.click(byTestIdCss("read-receipts"));
        }
    }

    /** The text frames this page sent on its data channels whose JSON type is {@code type}. */
    long channelFramesSent(String type) {
        return ((Number) tab.script("""
                return window.__textchatTest.channelSends.filter((f) => {
                  try { return JSON.parse(f.data).type === arguments[0]; } catch { return false; }
                }).length;
                """, type)).longValue();
    }

    // --- alerts: notifications and the ring -------------------------------------------

    /** The browser allows notifications (as the person's "Allow" would); the page does not know yet. */
    void grantNotifications() {
        tab.grantNotifications();
    }

    /** Clicks "Turn on notifications". */
    void enableNotifications() {
        tab.click(byTestIdCss("notify-enable"));
    }

    /** What the page says of notifications ({@code granted}, {@code denied}), or null while it offers to turn them on. */
    String notificationState() {
        Element state = element("notify-state");
        return state.isDisplayed() ? state.getAttribute("data-permission") : null;
    }

    /** Another tab of the same window comes to the front: this page is in the background. */
    void putInBackground() {
        tab.coverWithAnotherTab();
    }

    void bringToFront() {
        tab.uncover();
    }

    boolean hidden() {
        return Boolean.TRUE.equals(tab.script("return document.hidden;"));
    }

    /** The notifications the page made so far: {title, tag, body, hidden (whether the page was)}. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> notificationsMade() {
        return (List<Map<String, Object>>) tab.script("""
                return window.__textchatTest.notifications.map(({ title, tag, body, hidden }) => ({ title, tag, body, hidden }));
                """);
    }

    /** Clicks the newest notification titled {@code title}, as the person would on the system's. */
    void clickNotification(String title) {
        Object clicked = tab.script("""
                const made = window.__textchatTest.notifications.filter((n) => n.title === arguments[0]).at(-1);
                if (!made) return false;
                made.made.dispatchEvent(new Event('click'));
                return true;
                """, title);
        if (!Boolean.TRUE.equals(clicked)) {
            throw new AssertionError("no notification titled \"" + title + "\" to click");
        }
    }

    /** The states of the audio contexts the page made ({@code running}, {@code suspended}, {@code closed}). */
    @SuppressWarnings("unchecked")
    List<String> audioStates() {
        return (List<String>) tab.script("return window.__textchatTest.audioContexts.map((c) => c.state);");
    }

    /** Clicks "Mute ring" (a toggle; the prompt's own while a call waits); returns whether it is now pressed. */
    boolean toggleRingMute() {
        tab.click(byTestIdCss(incomingShown() ? "incoming-mute" : "ring-toggle"));
        return ringMuted();
    }

    boolean ringMuted() {
        return "true".equals(element("ring-toggle").getAttribute("aria-pressed"));
    }

    /** What the connection indicator says: its state and text. */
    String connectionIndicator() {
        return connectionState() + ": " + connectionText();
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
            Element dialog = element("incoming-call");
            return dialog.isDisplayed() && name.equals(dialog.getAttribute("data-caller"));
        });
    }

    String incomingText() {
        return element("incoming-text").text();
    }

    void accept() {
        tab.click(byTestIdCss("accept"));
    }

    /** Accepts with the keyboard alone: the prompt puts focus on Accept. */
    void acceptWithEnter() {
        tab.pressEnter();
    }

    void decline() {
        tab.click(byTestIdCss("decline"));
    }

    boolean incomingShown() {
        return element("incoming-call").isDisplayed();
    }

    void hangUp() {
        tab.click(byTestIdCss("hangup"));
    }

    void awaitCallState(String state) {
        await("call state " + state, d -> state.equals(callState()));
    }

    String callState() {
        return element("call-status").getAttribute("data-state");
    }

    String callText() {
        return element("call-text").text();
    }

    boolean sendEnabled() {
        return element("send").isEnabled();
    }

    // --- conversations ------------------------------------------------------------------

    /** The conversation list, in its order: peer → {state, unread, open}. */
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> conversations() {
        List<Map<String, Object>> rows = (List<Map<String, Object>>) query("""
                return [...document.querySelectorAll("[data-testid='conversation']")].map((li) => ({
                  peer: li.dataset.peer, state: li.dataset.state, unread: Number(li.dataset.unread),
                  open: li.querySelector('button').getAttribute('aria-current') === 'true',
                  badge: li.querySelector("[data-testid='conversation-unread']").hidden
                    ? '' : li.querySelector("[data-testid='conversation-unread']").textContent,
                }));
                """);
        Map<String, Map<String, Object>> byPeer = new java.util.LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            byPeer.put((String) row.get("peer"), row);
        }
        return byPeer;
    }

    /** How many of {@code peer}'s messages wait unseen, as the list's badge shows it ("" for none). */
    String unreadBadge(String peer) {
        Map<String, Object> row = conversations().get(peer);
        return row == null ? null : (String) row.get("badge");
    }

    /** The peer whose conversation is on screen (null if none). */
    String openConversation() {
        return conversations().entrySet().stream().filter(e -> Boolean.TRUE.equals(e.getValue().get("open")))
                .map(Map.Entry::getKey).findFirst().orElse(null);
    }

    /** Picks {@code peer}'s conversation in the list, as a person would. */
    void openConversation(String peer) {
        tab.click("[data-testid='conversation'][data-peer=" + cssString(peer) + "] button");
        await(peer + "'s conversation on screen", d -> peer.equals(openConversation()));
    }

    // --- files --------------------------------------------------------------------------

    /**
     * Makes a file of {@code size} random bytes in the page and drops it on the conversation, as
     * a person dragging it there would; returns its SHA-256 (hex) as the test computed it, or
     * null when {@code hash} is false (a file too big to send is not worth hashing).
     */
    String dropFile(String name, String mime, long size, boolean hash) {
        return (String) asyncScript("""
                const [name, mime, size, hash, done] = arguments;
                (async () => {
                  const block = new Uint8Array(1024 * 1024);
                  for (let at = 0; at < block.length; at += 65536) crypto.getRandomValues(block.subarray(at, at + 65536));
                  const parts = [];
                  // Each MiB differs from the others (its number in its first bytes); past 64 MiB, one
                  // block over and over is enough (such files are refused before they are read).
                  for (let at = 0, i = 0; at < size; at += block.length, i++) {
                    const part = size > 64 * 1024 * 1024 ? block : block.slice(0, Math.min(block.length, size - at));
                    if (part !== block) new DataView(part.buffer).setUint32(0, i);
                    parts.push(part);
                  }
                  const file = new File(parts, name, { type: mime });
                  let sha = null;
                  if (hash) {
                    const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
                    sha = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
                  }
                  const files = new DataTransfer();
                  files.items.add(file);
                  document.querySelector('section.conversation').dispatchEvent(
                    new DragEvent('drop', { dataTransfer: files, bubbles: true, cancelable: true }));
                  return sha;
                })().then(done, (e) => done('error: ' + e));
                """, name, mime, size, hash);
    }

    /** Draws a small picture and pastes it into the composer, as a screenshot pasted from the clipboard. */
    void pasteImage(String name) {
        asyncScript("""
                const [name, done] = arguments;
                const canvas = document.createElement('canvas');
                canvas.width = 40;
                canvas.height = 30;
                const g = canvas.getContext('2d');
                g.fillStyle = '#3b5bdb';
                g.fillRect(0, 0, 40, 30);
                canvas.toBlob((blob) => {
                  const files = new DataTransfer();
                  files.items.add(new File([blob], name, { type: 'image/png' }));
                  // Firefox leaves clipboardData out of a constructed event: it is set as a paste has it.
                  const paste = new ClipboardEvent('paste', { bubbles: true, cancelable: true });
                  Object.defineProperty(paste, 'clipboardData', { value: files });
                  document.querySelector("[data-testid='message-input']").dispatchEvent(paste);
                  done(true);
                }, 'image/png');
                """, name);
    }

    /** The transfer shown under {@code name}: state, done, size, sha256, reason, preview, download; null if none. */
    @SuppressWarnings("unchecked")
    Map<String, Object> transfer(String name) {
        return (Map<String, Object>) query("""
                const item = [...document.querySelectorAll("[data-testid='file']")]
                    .find((li) => li.querySelector("[data-testid='file-name']").textContent === arguments[0]);
                if (!item) return null;
                const img = item.querySelector("[data-testid='file-preview']");
                return {
                  state: item.dataset.state, done: Number(item.dataset.done), size: Number(item.dataset.size),
                  sha256: item.dataset.sha256 ?? null, reason: item.dataset.reason ?? null,
                  status: item.querySelector("[data-testid='file-status']").textContent,
                  preview: img ? img.complete && img.naturalWidth > 0 : false,
                  download: item.querySelector("[data-testid='file-download']")?.getAttribute('download') ?? null,
                  markup: item.querySelectorAll('.file-name *').length,
                };
                """, name);
    }

    /** Waits for the transfer {@code name} to be in {@code state}; returns what {@link #transfer} says of it. */
    Map<String, Object> awaitTransfer(String name, String state, Duration patience) {
        return await("the file \"" + name + "\" " + state, patience, d -> {
            Map<String, Object> t = d.transfer(name);
            return t != null && state.equals(t.get("state")) ? t : null;
        });
    }

    /** Presses one of the transfer's buttons: accept, decline or cancel. */
    void fileAction(String name, String action) {
        await("the " + action + " button of \"" + name + "\"", d -> Boolean.TRUE.equals(d.query("""
                const item = [...document.querySelectorAll("[data-testid='file']")]
                    .find((li) => li.querySelector("[data-testid='file-name']").textContent === arguments[0]);
                const button = item?.querySelector(`[data-testid='file-${arguments[1]}']`);
                if (!button) return false;
                button.click();
                return true;
                """, name, action)));
    }

    /**
     * From now on the page notes, every 50 ms, whether any transfer's progress went back, and
     * (Chromium) the most JavaScript heap it used; {@link #transferWatch} reads it.
     */
    void watchTransfers() {
        query("""
                const watch = { wentBack: [], maxHeap: 0, seen: {} };
                window.__textchatWatch = watch;
                setInterval(() => {
                  for (const li of document.querySelectorAll("[data-testid='file']")) {
                    const done = Number(li.dataset.done);
                    const before = watch.seen[li.dataset.transfer] ?? 0;
                    if (done < before) watch.wentBack.push(`${before} -> ${done}`);
                    watch.seen[li.dataset.transfer] = done;
                  }
                  const heap = performance.memory?.usedJSHeapSize;
                  if (heap) watch.maxHeap = Math.max(watch.maxHeap, heap);
                }, 50);
                """);
    }

    /** {wentBack: [..], maxHeap (bytes, 0 where unknown), binary: {bytes, frames, largest, maxBuffered}}. */
    @SuppressWarnings("unchecked")
    Map<String, Object> transferWatch() {
        return (Map<String, Object>) query("""
                return { wentBack: window.__textchatWatch?.wentBack ?? [], maxHeap: window.__textchatWatch?.maxHeap ?? 0,
                         heapNow: performance.memory?.usedJSHeapSize ?? 0, binary: window.__textchatTest.binarySends };
                """);
    }

    /** Bytes this page sent in binary frames (file chunks) so far. */
    long binaryBytesSent() {
        return ((Number) query("return window.__textchatTest.binarySends.bytes;")).longValue();
    }

    /** What is in the composer, not sent yet. */
    String composerText() {
        return (String) query("return byTestId('message-input').value;");
    }

    /** Empties the composer. */
    void clearComposer() {
        query("byTestId('message-input').value = '';");
    }

    /** The data-testid of the element that has the keyboard focus (null for none). */
    String focused() {
        return (String) query("return document.activeElement?.getAttribute('data-testid') ?? null;");
    }

    // --- the safety code ----------------------------------------------------------------

    /** What the page says of the peer's identity: checking, unverified, verified, changed or unavailable. */
    String safetyTrust() {
        return element("safety").isDisplayed() ? element("safety").getAttribute("data-trust") : null;
    }

    /** The state of the code exchange: pending, done, failed or unavailable. */
    String safetyExchange() {
        return element("safety").getAttribute("data-exchange");
    }

    /** Waits for the call's trust to be {@code trust}. */
    void awaitSafetyTrust(String trust) {
        await("the peer shown as " + trust, d -> trust.equals(safetyTrust()));
    }

    /** Waits until the exchange is over and returns the code shown ("1234 5678 9012"). */
    String awaitSafetyCode() {
        return await("the safety code", d -> {
            if (!element("safety").isDisplayed() || !"done".equals(safetyExchange())) {
                return null;
            }
            String code = element("safety-code").text();
            return code.isEmpty() ? null : code;
        });
    }

    /** Waits until the exchange failed and returns the help text that says why. */
    String awaitSafetyFailure() {
        await("the safety-code exchange to fail", d -> "failed".equals(safetyExchange()));
        return element("safety-help").text();
    }

    /** The person compared the codes: "Codes match: mark as verified". */
    void markVerified() {
        await("the mark-as-verified button", d -> element("safety-verify").isDisplayed());
        tab.click(byTestIdCss("safety-verify"));
        awaitSafetyTrust("verified");
    }

    /** "Chat anyway" after a changed code. */
    void chatAnyway() {
        await("the chat-anyway button", d -> element("safety-accept").isDisplayed());
        tab.click(byTestIdCss("safety-accept"));
    }

    /** Reloads the page and waits until it is signed in again by itself (the tab keeps its session). */
    void reloadSignedIn() {
        script("window.__textchatOldPage = true; setTimeout(() => location.reload(), 0)");
        await("the page reloaded and signed in again", d -> {
            try {
                return Boolean.TRUE.equals(query("""
                        return !window.__textchatOldPage && document.readyState === 'complete'
                            && shown(byTestId('main-view'))
                            && byTestId('connection-status').dataset.state === 'online';
                        """));
            } catch (BrowserTab.ScriptException e) {
                return false; // the old page went away under the script
            }
        });
    }

    /** The texts of the messages on screen, in order. */
    List<String> messageTexts() {
        return texts("message-text");
    }

    /** Deletes the open conversation's history, confirming as a person would. */
    void deleteHistory() {
        tab.click(byTestIdCss("delete-history"));
        await("the confirmation", d -> element("delete-history-confirm").isDisplayed());
        tab.click(byTestIdCss("delete-history-yes"));
        await("the messages gone", d -> messageTexts().isEmpty());
    }

    /**
     * Loads the page afresh in this tab as a new tab would after the old one was closed for good:
     * its socket closed normally first (1000: the server frees the name at once, where a page
     * going away, 1001, has it held for a resume) and the tab's session storage cleared, so it
     * signs in anew; waits for its sign-in form. Local storage and IndexedDB stay.
     */
    void reload() {
        script("""
                sessionStorage.clear();
                window.__textchatOldPage = true;
                const closed = window.__textchatTest.sockets.filter((s) => s.readyState < 2).map((s) => new Promise((done) => {
                  s.addEventListener('close', done, { once: true });
                  s.close(1000, 'test: page closed for good');
                }));
                Promise.race([Promise.all(closed), new Promise((done) => setTimeout(done, 2000))]).then(() => location.reload());
                """);
        await("the page reloaded", d -> {
            try {
                return Boolean.TRUE.equals(query("""
                        return !window.__textchatOldPage && document.readyState === 'complete'
                            && shown(byTestId('signin-view'));
                        """));
            } catch (BrowserTab.ScriptException e) {
                return false; // the old page went away under the script
            }
        });
    }

    // --- messages -----------------------------------------------------------------------

    /** Types the message and presses Enter, as a person would. */
    void send(String text) {
        await("the send button enabled", d -> sendEnabled());
        tab.typeAndEnter(byTestIdCss("message-input"), text);
    }

    /** Waits until a message whose text is exactly {@code text} is displayed. */
    void awaitMessage(String text, boolean own) {
        await((own ? "own" : "peer") + " message \"" + text + "\"", d -> hasMessage(text, own));
    }

    boolean hasMessage(String text, boolean own) {
        return messageState(text, own) != null;
    }

    /** Delivered, or already read (which says it was delivered). */
    void awaitDelivered(String text) {
        await("\"" + text + "\" marked delivered", d -> {
            String state = messageState(text, true);
            return "delivered".equals(state) || "read".equals(state);
        });
    }

    /** The status of our own message {@code text}: sent, delivered or read (null if there is none). */
    String ownMessageStatus(String text) {
        return messageState(text, true);
    }

    /**
     * The first displayed message with exactly {@code text}: its status (sent, delivered) if own,
     * "" if not; null if there is none.
     */
    private String messageState(String text, boolean own) {
        return (String) query("""
                const [text, own] = arguments;
                const item = [...document.querySelectorAll("[data-testid='message']")]
                    .filter((li) => li.getAttribute('data-own') === String(own))
                    .find((li) => li.querySelector("[data-testid='message-text']")?.textContent === text);
                if (!item) return null;
                return item.querySelector("[data-testid='message-status']")?.getAttribute('data-state') ?? '';
                """, text, own);
    }

    List<String> systemMessages() {
        return texts("system-message");
    }

    String awaitSystemMessageContaining(String part) {
        return await("a system message containing \"" + part + "\"",
                d -> systemMessages().stream().filter(m -> m.contains(part)).findFirst().orElse(null));
    }

    List<String> notices() {
        return texts("notice");
    }

    String awaitNoticeContaining(String part) {
        return await("a notice containing \"" + part + "\"",
                d -> notices().stream().filter(m -> m.contains(part)).findFirst().orElse(null));
    }

    @SuppressWarnings("unchecked")
    private List<String> texts(String testId) {
        return (List<String>) query("""
                return [...document.querySelectorAll(`[data-testid='${arguments[0]}']`)].map((el) => el.textContent.trim());
                """, testId);
    }

    // --- inspection ---------------------------------------------------------------------

    /** Runs {@code script} in the page as a function body, {@code args} as its {@code arguments}. */
    Object script(String script, Object... args) {
        return tab.script(script, args);
    }

    /** As {@link #script}; the result is what the script passes to its last argument, a callback. */
    Object asyncScript(String script, Object... args) {
        return tab.asyncScript(script, args);
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
     * How the newest peer connection was set up: {@code gathered} (the addresses of its local
     * candidates, from getStats), {@code iceServers} (as JSON) and {@code iceTransportPolicy}
     * (from getConfiguration).
     */
    @SuppressWarnings("unchecked")
    Map<String, Object> iceSetUp() {
        return (Map<String, Object>) asyncScript("""
                const done = arguments[arguments.length - 1];
                const pc = window.__textchatTest.peerConnections.at(-1);
                pc.getStats().then((report) => {
                  const gathered = [];
                  report.forEach((s) => { if (s.type === 'local-candidate') gathered.push(s.address); });
                  const config = pc.getConfiguration();
                  done({ gathered, iceServers: JSON.stringify(config.iceServers), iceTransportPolicy: config.iceTransportPolicy });
                }, (error) => done({ error: String(error) }));
                """);
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

    Element element(String testId) {
        return new Element(testId);
    }

    /** The messages of the dialogs (alert, confirm, prompt) this page opened. */
    List<String> dialogsOpened() {
        return tab.dialogsOpened();
    }

    /** What the page's Content-Security-Policy blocked so far: directive and what it blocked. */
    @SuppressWarnings("unchecked")
    List<String> cspViolations() {
        return (List<String>) script("return window.__textchatTest.cspViolations");
    }

    /** Makes the page {@code width} × {@code height} CSS pixels, as on a phone's screen. */
    void resize(int width, int height) {
        tab.resize(width, height);
    }

    byte[] screenshot() {
        return tab.screenshot();
    }

    void close() {
        tab.close();
    }

    /** {@code value} as a quoted CSS string. */
    private static String cssString(String value) {
        StringBuilder css = new StringBuilder("\"");
        value.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                css.append('\\').appendCodePoint(c);
            } else if (c < 0x20 || c == 0x7f) {
                css.append('\\').append(Integer.toHexString(c)).append(' ');
            } else {
                css.appendCodePoint(c);
            }
        });
        return css.append('"').toString();
    }
}
