package local.textchat.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import local.textchat.app.App;
import local.textchat.browser.WebappServer;
import local.textchat.config.Settings;

/**
 * textchat on Tyrus as {@code mvn tyrus:run} serves it (the dev server), for the benchmark's
 * Tyrus figures (bench/compare.sh; not a test). Arguments are {@code key=value} settings. Prints
 * {@code port N}, serves {@code /textchat/signal} until standard input ends.
 */
public final class TyrusServer {

    public static void main(String[] args) throws Exception {
        Map<String, String> settings = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            settings.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        try (WebappServer server = WebappServer.unrecorded(App.start(Settings.of(settings)))) {
            System.out.println("port " + server.page().getPort());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (in.readLine() != null) {
                // Nothing to do; end of input stops.
            }
        }
        System.exit(0);
    }
}
