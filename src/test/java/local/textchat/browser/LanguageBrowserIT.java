package local.textchat.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import local.textchat.browser.Browser.Kind;

/** The page speaks the browser's language: here Traditional Chinese, in Chromium and in Firefox. */
class LanguageBrowserIT {

    @RegisterExtension
    final BrowserHarness browser = new BrowserHarness("zh-TW");

    @ParameterizedTest(name = "in {0}")
    @EnumSource(Kind.class)
    void traditionalChineseWhenTheBrowserPrefersIt(Kind kind) {
        ChatTab ming = browser.openTab(kind);
        ming.await("the page translated", d -> "zh-TW".equals(ming.script("return document.documentElement.lang")));
        assertEquals("登入", ming.element("signin-submit").getDomProperty("textContent").strip());
        assertEquals("你的名字", ming.script("return document.querySelector('label[for=signin-name]').textContent"));

        ming.signInAndWait("小明");
        assertEquals("已上線：小明", ming.connectionText());
        assertEquals("目前沒有通話", ming.callText());

        ChatTab other = browser.openTab(kind);
        other.signIn("小明");
        assertEquals("這個名字已經有人使用，請換一個。（如果是你剛關閉的分頁所用的名字，幾秒內就會釋出。）", other.signInError());

        other.signInAndWait("小華");
        other.call("小明");
        ming.awaitIncomingCallFrom("小華");
        assertEquals("小華 想和你聊天。", ming.incomingText());
        ming.accept();
        ming.awaitCallState("connected");
        assertEquals("正在與 小華 通話", ming.callText());
    }
}
