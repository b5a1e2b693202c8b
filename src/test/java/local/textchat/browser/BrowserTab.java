package local.textchat.browser;

/**
 * One tab, whichever browser is behind it: what {@link ChatTab} is built on. Reading the page
 * is JavaScript; what a person does (click, type, press Enter) goes through the browser's own
 * input events, so that a hidden or disabled control cannot be "used" by a test.
 */
interface BrowserTab {

    /**
     * Runs {@code body} as a function body with {@code args} as {@code arguments} (strings,
     * numbers, booleans, null, lists), as Selenium's executeScript does, and returns its value:
     * whole numbers as Long, other numbers as Double, arrays as List, objects as Map.
     *
     * @throws ScriptException when the script throws
     */
    Object script(String body, Object... args);

    /** As {@link #script}, but the result is what the script passes to its last argument, a callback. */
    Object asyncScript(String body, Object... args);

    /** Clicks the middle of the first element matching {@code css}, scrolled into view. */
    void click(String css);

    /** Empties the text field matching {@code css}. */
    void clear(String css);

    /** Focuses the field matching {@code css}, types {@code text} key by key and presses Enter. */
    void typeAndEnter(String css, String text);

    /** Focuses the field matching {@code css} and types {@code text} key by key (no Enter). */
    void type(String css, String text);

    /** Presses Enter on whatever has the focus. */
    void pressEnter();

    /** Makes the page's viewport {@code width} × {@code height} CSS pixels, as on a phone's screen. */
    void resize(int width, int height);

    /** The messages of the dialogs (alert, confirm, prompt) the page opened, as far as the browser tells. */
    java.util.List<String> dialogsOpened();

    /** The browser lets this tab's origin show notifications, as if the person had clicked "Allow". */
    void grantNotifications();

    /** Opens a blank tab in front of this one, in the same window: this page is now in the background. */
    void coverWithAnotherTab();

    /** Closes the tab {@link #coverWithAnotherTab} opened: this page is in front again. */
    void uncover();

        /** What the tab shows, as PNG. */
    byte[] screenshot();

    void close();

    /** A script threw; the message is the browser's. */
    final class ScriptException extends RuntimeException {
        ScriptException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
