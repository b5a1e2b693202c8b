package local.textchat.browser;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.BreakIterator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import local.textchat.support.ChildProcess;

/**
 * Headless Firefox ESR driven over WebDriver BiDi, which it speaks natively (there is no
 * geckodriver here), as shared/FIREFOX-TESTING.md describes: a fresh profile whose user.js
 * lets WebRTC use loopback and silences every Mozilla service, a scratch HOME, one BiDi session
 * for the process, a window per tab. The process is started by the test JVM, so it lives in
 * the same loopback-only network namespace.
 */
final class Firefox implements Browser {

    static final String BINARY = BrowserHarness.envOr("FIREFOX_BINARY", "/usr/lib/firefox-esr/firefox-esr");

    private static final Pattern LISTENING = Pattern.compile("WebDriver BiDi listening on (ws://\\S+)");
    private static final long START_PATIENCE_SECONDS = 30;
    /** WebDriver's key for Enter (the spec's normalised "\uE007"). */
    private static final String ENTER = "\uE007";

    private final ChildProcess process;
    private final Path home;
    private final BiDiConnection bidi;
    private final List<String> console = Collections.synchronizedList(new ArrayList<>());
    /** Per browsing context, the message of every dialog its page opened (BiDi's userPromptOpened). */
    private final Map<String, List<String>> dialogs = new java.util.concurrent.ConcurrentHashMap<>();
    private String startWindow;

    private Firefox(ChildProcess process, Path home, BiDiConnection bidi) {
        this.process = process;
        this.home = home;
        this.bidi = bidi;
    }

    /** Whether this machine has what {@link #start} needs; the reason when not. */
    static String missing() {
        return Files.isExecutable(Path.of(BINARY)) ? null
                : "the Firefox tests need " + BINARY + " (apt-get install firefox-esr; .ci/run installs it)";
    }

    /** A fresh Firefox whose pages prefer {@code language} (null: the default, English). */
    static Firefox start(String language) throws IOException {
        Path home = Files.createTempDirectory("textchat-firefox-");
        Path profile = Files.createDirectories(home.resolve("profile"));
        Files.writeString(profile.resolve("user.js"), userJs(language));
        // Firefox writes ~/.config/mozilla, ~/.cache/mozilla and ~/Downloads whatever --profile says.
        Map<String, String> env = Map.of("HOME", home.toString(), "MOZ_CRASHREPORTER_DISABLE", "1",
                // Without it ESR ignores services.settings.server and asks Mozilla's Remote Settings.
                "MOZ_REMOTE_SETTINGS_DEVTOOLS", "1");
        Path log = Path.of("target", "firefox-" + System.nanoTime() + ".log");
        // Dies with the test JVM however that ends (ChildProcess): a failsafe timeout leaves no Firefox behind.
        ChildProcess process = ChildProcess.start("firefox", List.of(BINARY, "--headless", "--no-remote",
                "--profile", profile.toString(), "--remote-debugging-port=0", "about:blank"), env, home, log,
                false, true);
        Firefox firefox = null;
        try {
            String line = process.nextLine(Duration.ofSeconds(START_PATIENCE_SECONDS), l -> LISTENING.matcher(l).find());
            Matcher listening = LISTENING.matcher(line);
            listening.find();
            BiDiConnection bidi = BiDiConnection.open(URI.create(listening.group(1) + "/session"));
            firefox = new Firefox(process, home, bidi);
            firefox.startSession();
            return firefox;
        } catch (Exception e) {
            if (firefox != null) {
                firefox.close();
            } else {
                process.kill();
                BrowserHarness.deleteTree(home);
            }
            throw new IllegalStateException("Firefox did not start: " + e + process.logTail(), e);
        }
    }

    private void startSession() {
        bidi.call("session.new", Json.createObjectBuilder()
                .add("capabilities", Json.createObjectBuilder()).build());
        bidi.onEvent("log.entryAdded", entry -> console.add(describe(entry)));
        bidi.onEvent("browsingContext.userPromptOpened", prompt -> dialogs
                .computeIfAbsent(prompt.getString("context"), context -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .add(prompt.getString("message", "")));
        bidi.call("session.subscribe", Json.createObjectBuilder()
                .add("events", Json.createArrayBuilder().add("log.entryAdded").add("browsingContext.userPromptOpened"))
                .build());
        // Every page, in every tab opened from now on, gets the probe before its own scripts.
        bidi.call("script.addPreloadScript", Json.createObjectBuilder()
                .add("functionDeclaration", "() => {\n" + PAGE_PROBE + "\n}").build());
        JsonArray contexts = bidi.call("browsingContext.getTree", JsonValue.EMPTY_JSON_OBJECT).getJsonArray("contexts");
        startWindow = contexts.getJsonObject(0).getString("context");
    }

    @Override
    public Kind kind() {
        return Kind.FIREFOX;
    }

    @Override
    public BrowserTab openTab(URI page) {
        // A window rather than a tab: each page stays visible, so none is throttled as a background tab.
        String context = bidi.call("browsingContext.create", Json.createObjectBuilder().add("type", "window").build())
                .getString("context");
        if (startWindow != null) {
            // The window Firefox opened at start never gets the focus in headless mode (keys
            // pressed on a focused button there do nothing), so it is not used.
            bidi.call("browsingContext.close", Json.createObjectBuilder().add("context", startWindow).build());
            startWindow = null;
        }
        bidi.call("browsingContext.navigate", Json.createObjectBuilder()
                .add("context", context).add("url", page.toString()).add("wait", "complete").build());
        return new Tab(context);
    }

    @Override
    public List<String> consoleLog() {
        synchronized (console) {
            return List.copyOf(console);
        }
    }

    @Override
    public void close() {
        try {
            bidi.close();
        } finally {
            // SIGKILL: its profile is thrown away, so there is nothing to save, and a polite shutdown takes seconds.
            process.kill();
            BrowserHarness.deleteTree(home);
        }
    }

    private static String describe(JsonObject entry) {
        String level = entry.getString("level", "info").toUpperCase(java.util.Locale.ROOT);
        String text = entry.isNull("text") ? "" : entry.getString("text", "");
        String where = entry.containsKey("stackTrace") ? " " + firstFrame(entry.getJsonObject("stackTrace")) : "";
        return level + " " + text + where;
    }

    private static String firstFrame(JsonObject stackTrace) {
        JsonArray frames = stackTrace.getJsonArray("callFrames");
        if (frames == null || frames.isEmpty()) {
            return "";
        }
        JsonObject frame = frames.getJsonObject(0);
        return "(" + frame.getString("url", "") + ":" + frame.getInt("lineNumber", 0) + ")";
    }

    /**
     * The profile's preferences. Loopback ICE needs both the loopback pref and a media grant
     * (without one Firefox gathers only the default route's interface, which a loopback-only
     * namespace lacks). The rest keeps Firefox from calling Mozilla: updates, telemetry,
     * Remote Settings, safe browsing, captive-portal and connectivity checks, and the like.
     */
    private static String userJs(String language) {
        Map<String, Object> prefs = new java.util.LinkedHashMap<>();
        prefs.put("media.peerconnection.ice.loopback", true);
        prefs.put("permissions.default.camera", 1);
        prefs.put("permissions.default.microphone", 1);
        // Host candidates as addresses, not mDNS names (which would also mean multicast).
        prefs.put("media.peerconnection.ice.obfuscate_host_addresses", false);
        prefs.put("services.settings.server", "http://127.0.0.1:9/");
        prefs.put("media.gmp-manager.updateEnabled", false);
        prefs.put("media.gmp-gmpopenh264.enabled", false);
        prefs.put("app.update.enabled", false);
        prefs.put("app.update.auto", false);
        prefs.put("app.update.checkInstallTime", false);
        prefs.put("app.normandy.enabled", false);
        prefs.put("app.shield.optoutstudies.enabled", false);
        prefs.put("messaging-system.rsexperimentloader.enabled", false);
        prefs.put("toolkit.telemetry.enabled", false);
        prefs.put("toolkit.telemetry.unified", false);
        prefs.put("toolkit.telemetry.archive.enabled", false);
        prefs.put("toolkit.telemetry.server", "");
        prefs.put("datareporting.healthreport.uploadEnabled", false);
        prefs.put("datareporting.policy.dataSubmissionEnabled", false);
        prefs.put("datareporting.policy.firstRunURL", "");
        prefs.put("browser.safebrowsing.malware.enabled", false);
        prefs.put("browser.safebrowsing.phishing.enabled", false);
        prefs.put("browser.safebrowsing.downloads.enabled", false);
        prefs.put("browser.safebrowsing.blockedURIs.enabled", false);
        prefs.put("browser.safebrowsing.update.enabled", false);
        prefs.put("network.captive-portal-service.enabled", false);
        prefs.put("network.connectivity-service.enabled", false);
        prefs.put("network.dns.disablePrefetch", true);
        prefs.put("network.prefetch-next", false);
        prefs.put("network.trr.mode", 5);
        prefs.put("extensions.update.enabled", false);
        prefs.put("extensions.getAddons.cache.enabled", false);
        prefs.put("extensions.systemAddon.update.enabled", false);
        prefs.put("browser.region.network.url", "");
        prefs.put("browser.region.update.enabled", false);
        prefs.put("browser.search.update", false);
        prefs.put("browser.newtabpage.enabled", false);
        prefs.put("browser.newtabpage.activity-stream.feeds.system.topstories", false);
        prefs.put("browser.newtabpage.activity-stream.feeds.snippets", false);
        prefs.put("browser.startup.homepage_override.mstone", "ignore");
        prefs.put("browser.shell.checkDefaultBrowser", false);
        prefs.put("browser.aboutwelcome.enabled", false);
        prefs.put("geo.provider.network.url", "");
        // Not that it matters with a window per tab: no page's timers are slowed for being hidden.
        prefs.put("dom.min_background_timeout_value", 4);
        prefs.put("dom.timeout.enable_budget_timer_throttling", false);
        if (language != null) {
            prefs.put("intl.accept_languages", language);
        }
        StringBuilder js = new StringBuilder();
        prefs.forEach((name, value) -> js.append("user_pref(\"").append(name).append("\", ")
                .append(value instanceof String text ? Json.createValue(text).toString() : value)
                .append(");\n"));
        return js.toString();
    }

    // --- one tab ------------------------------------------------------------------------------

    /** One top-level browsing context (a window) of the session. */
    private final class Tab implements BrowserTab {
        private final String context;
        /** The tab opened in front of this one, if any. */
        private String cover;

        Tab(String context) {
            this.context = context;
        }

        @Override
        public Object script(String body, Object... args) {
            return fromRemote(callFunction("function() {\n" + body + "\n}", false, args));
        }

        @Override
        public Object asyncScript(String body, Object... args) {
            String function = """
                    function() {
                      const args = [...arguments];
                      return new Promise((resolve, reject) => {
                        args.push(resolve);
                        try {
                          (function() {
                    %s
                          }).apply(this, args);
                        } catch (error) {
                          reject(error);
                        }
                      });
                    }""".formatted(body);
            return fromRemote(callFunction(function, true, args));
        }

        @Override
        public void click(String css) {
            JsonObject node = elementNode(css, """
                    el.scrollIntoView({ block: 'center', inline: 'center' });
                    """);
            activate();
            JsonObject origin = Json.createObjectBuilder().add("type", "element")
                    .add("element", Json.createObjectBuilder().add("sharedId", node.getString("sharedId"))).build();
            JsonArray steps = Json.createArrayBuilder()
                    .add(Json.createObjectBuilder().add("type", "pointerMove").add("x", 0).add("y", 0).add("origin", origin))
                    .add(Json.createObjectBuilder().add("type", "pointerDown").add("button", 0))
                    .add(Json.createObjectBuilder().add("type", "pointerUp").add("button", 0))
                    .build();
            performActions(Json.createObjectBuilder().add("type", "pointer").add("id", "mouse")
                    .add("parameters", Json.createObjectBuilder().add("pointerType", "mouse"))
                    .add("actions", steps).build());
        }

        @Override
        public void clear(String css) {
            elementNode(css, """
                    el.focus();
                    el.value = '';
                    el.dispatchEvent(new Event('input', { bubbles: true }));
                    el.dispatchEvent(new Event('change', { bubbles: true }));
                    """);
        }

        @Override
        public void typeAndEnter(String css, String text) {
            typeKeys(css, text, true);
        }

        @Override
        public void type(String css, String text) {
            typeKeys(css, text, false);
        }

        private void typeKeys(String css, String text, boolean enter) {
            // As WebDriver's "send keys": focus the field and put the caret at its end, then type.
            elementNode(css, """
                    if (document.activeElement !== el) {
                      el.focus();
                      if (typeof el.setSelectionRange === 'function') el.setSelectionRange(el.value.length, el.value.length);
                    }
                    """);
            activate();
            JsonArrayBuilder steps = Json.createArrayBuilder();
            BreakIterator characters = BreakIterator.getCharacterInstance();
            characters.setText(text);
            for (int start = characters.first(), end = characters.next(); end != BreakIterator.DONE;
                    start = end, end = characters.next()) {
                addKey(steps, text.substring(start, end));
            }
            if (enter) {
                addKey(steps, ENTER);
            }
            performActions(keyboard(steps));
        }

        @Override
        public void pressEnter() {
            activate();
            JsonArrayBuilder steps = Json.createArrayBuilder();
            addKey(steps, ENTER);
            performActions(keyboard(steps));
        }

        @Override
        public void resize(int width, int height) {
            bidi.call("browsingContext.setViewport", Json.createObjectBuilder().add("context", context)
                    .add("viewport", Json.createObjectBuilder().add("width", width).add("height", height)).build());
        }

        @Override
        public List<String> dialogsOpened() {
            return List.copyOf(dialogs.getOrDefault(context, List.of()));
        }

        @Override
        public byte[] screenshot() {
            String png = bidi.call("browsingContext.captureScreenshot",
                    Json.createObjectBuilder().add("context", context).build()).getString("data");
            return Base64.getDecoder().decode(png);
        }

        @Override
        public void close() {
            bidi.call("browsingContext.close", Json.createObjectBuilder().add("context", context).build());
        }

        @Override
        public void grantNotifications() {
            String origin = (String) script("return location.origin;");
            bidi.call("permissions.setPermission", Json.createObjectBuilder()
                    .add("descriptor", Json.createObjectBuilder().add("name", "notifications"))
                    .add("state", "granted").add("origin", origin).build());
        }

        @Override
        public void coverWithAnotherTab() {
            cover = bidi.call("browsingContext.create", Json.createObjectBuilder().add("type", "tab")
                    .add("referenceContext", context).build()).getString("context");
            bidi.call("browsingContext.activate", Json.createObjectBuilder().add("context", cover).build());
        }

        @Override
        public void uncover() {
            if (cover != null) {
                bidi.call("browsingContext.close", Json.createObjectBuilder().add("context", cover).build());
                cover = null;
            }
            activate();
        }

        /** Gives this window the focus, as a person would before using it. */
        private void activate() {
            bidi.call("browsingContext.activate", Json.createObjectBuilder().add("context", context).build());
        }

        private void performActions(JsonObject source) {
            bidi.call("input.performActions", Json.createObjectBuilder().add("context", context)
                    .add("actions", Json.createArrayBuilder().add(source)).build());
        }

        private JsonObject keyboard(JsonArrayBuilder steps) {
            return Json.createObjectBuilder().add("type", "key").add("id", "keyboard").add("actions", steps).build();
        }

        private void addKey(JsonArrayBuilder steps, String key) {
            steps.add(Json.createObjectBuilder().add("type", "keyDown").add("value", key));
            steps.add(Json.createObjectBuilder().add("type", "keyUp").add("value", key));
        }

        /** The first element matching {@code css} (after running {@code then} on it, as {@code el}), as a BiDi node. */
        private JsonObject elementNode(String css, String then) {
            JsonObject node = callFunction("""
                    function(css) {
                      const el = document.querySelector(css);
                      if (!el) throw new Error('no element matches ' + css);
                    %s
                      return el;
                    }""".formatted(then), false, css);
            if (!"node".equals(node.getString("type", ""))) {
                throw new IllegalStateException("not an element: " + node);
            }
            return node;
        }

        private JsonObject callFunction(String function, boolean awaitPromise, Object... args) {
            JsonArrayBuilder arguments = Json.createArrayBuilder();
            for (Object arg : args) {
                arguments.add(toLocal(arg));
            }
            JsonObject result = bidi.call("script.callFunction", Json.createObjectBuilder()
                    .add("functionDeclaration", function)
                    .add("awaitPromise", awaitPromise)
                    .add("target", Json.createObjectBuilder().add("context", context))
                    .add("arguments", arguments)
                    // Like a person's action: lets the page do what needs a user gesture.
                    .add("userActivation", true)
                    .build());
            if ("exception".equals(result.getString("type"))) {
                JsonObject details = result.getJsonObject("exceptionDetails");
                throw new ScriptException(details.getString("text", String.valueOf(details)), null);
            }
            return result.getJsonObject("result");
        }
    }

    // --- values between Java and BiDi ----------------------------------------------------------

    private static JsonObject toLocal(Object value) {
        JsonObjectBuilder local = Json.createObjectBuilder();
        if (value == null) {
            return local.add("type", "null").build();
        } else if (value instanceof String text) {
            return local.add("type", "string").add("value", text).build();
        } else if (value instanceof Boolean flag) {
            return local.add("type", "boolean").add("value", flag).build();
        } else if (value instanceof Integer || value instanceof Long) {
            return local.add("type", "number").add("value", ((Number) value).longValue()).build();
        } else if (value instanceof Number number) {
            return local.add("type", "number").add("value", number.doubleValue()).build();
        } else if (value instanceof List<?> list) {
            JsonArrayBuilder items = Json.createArrayBuilder();
            list.forEach(item -> items.add(toLocal(item)));
            return local.add("type", "array").add("value", items).build();
        }
        throw new IllegalArgumentException("cannot pass " + value.getClass() + " to a script");
    }

    /** A BiDi RemoteValue as Selenium would return it: Long or Double, String, Boolean, List, Map, null. */
    private static Object fromRemote(JsonObject remote) {
        String type = remote.getString("type");
        JsonValue value = remote.get("value");
        switch (type) {
            case "undefined", "null":
                return null;
            case "string":
                return ((JsonString) value).getString();
            case "boolean":
                return value == JsonValue.TRUE;
            case "number":
                if (value instanceof JsonString special) {
                    return "-0".equals(special.getString()) ? 0L : Double.valueOf(special.getString());
                }
                JsonNumber number = (JsonNumber) value;
                return number.isIntegral() ? (Object) number.longValue() : (Object) number.doubleValue();
            case "array", "set":
                if (value == null) {
                    throw new IllegalStateException("an array too deep to serialize: " + remote);
                }
                List<Object> items = new ArrayList<>();
                value.asJsonArray().forEach(item -> items.add(fromRemote(item.asJsonObject())));
                return items;
            case "object", "map":
                if (value == null) {
                    throw new IllegalStateException("an object too deep to serialize: " + remote);
                }
                Map<String, Object> entries = new java.util.LinkedHashMap<>();
                for (JsonValue pair : value.asJsonArray()) {
                    JsonArray keyAndValue = pair.asJsonArray();
                    JsonValue key = keyAndValue.get(0);
                    String name = key instanceof JsonString text ? text.getString()
                            : String.valueOf(fromRemote(key.asJsonObject()));
                    entries.put(name, fromRemote(keyAndValue.getJsonObject(1)));
                }
                return entries;
            default:
                throw new IllegalStateException("a script returned a " + type + ", which the tests do not read: " + remote);
        }
    }
}
