package local.textchat.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import local.textchat.browser.Browser.Kind;

/**
 * Pictures the browser tests take: always under target/browser/, and the README's (Chromium's)
 * into docs/screenshot.png when run with -Dtextchat.updateScreenshot=true (the picture changes
 * with every run's clock, so it is not rewritten by every build).
 */
final class Screenshots {

    private Screenshots() {
    }

    /** Keeps {@code png} as target/browser/{name}-{browser}.png. */
    static void save(byte[] png, Kind kind, String name) {
        write(Path.of("target", "browser", name + "-" + kind.name().toLowerCase(Locale.ROOT) + ".png"), png);
    }

    /** As {@link #save}, and, Chromium's, as the README's picture when asked to. */
    static void saveForReadme(byte[] png, Kind kind, String name) {
        save(png, kind, name);
        if (kind == Kind.CHROMIUM && Boolean.getBoolean("textchat.updateScreenshot")) {
            write(Path.of("docs", "screenshot.png"), png);
        }
    }

    private static void write(Path target, byte[] png) {
        try {
            Files.createDirectories(target.getParent());
            Files.write(target, png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
