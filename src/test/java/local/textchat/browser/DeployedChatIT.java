package local.textchat.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

import local.textchat.containers.ContainerTarget;
import local.textchat.support.TestServer;

/**
 * The packaged WAR on a container, as a person uses it: two tabs load the page the container
 * serves, sign in, call, chat both ways and hang up. Run once per container by the failsafe
 * executions containers-* (Tyrus standalone serves no page; the browser-tests execution covers it).
 */
class DeployedChatIT {

    private TestServer server;

    /** Runs after the browser has quit (extensions end in the reverse order of theirs), so its sockets are gone. */
    @RegisterExtension
    @Order(1)
    final AfterEachCallback release = context -> {
        if (server != null) {
            server.close();
        }
    };

    @RegisterExtension
    @Order(2)
    final BrowserHarness browser = BrowserHarness.against(() -> {
        ContainerTarget.required(ContainerTarget.class, "loads the page the container serves");
        server = TestServer.start();
        return server.baseUri();
    });

    @Test
    void twoTabsCallChatBothWaysAndHangUp() {
        ChatTab alice = browser.openTab();
        alice.signInAndWait("Alice");
        ChatTab bob = browser.openTab();
        bob.signInAndWait("Bob");

        alice.callAndConnect(bob);
        assertEquals("In a call with Bob", alice.callText());
        alice.send("Hello from " + server.target().name() + "!");
        bob.awaitMessage("Hello from " + server.target().name() + "!", false);
        alice.awaitDelivered("Hello from " + server.target().name() + "!");
        bob.send("Loud and clear. 你好 👋");
        alice.awaitMessage("Loud and clear. 你好 👋", false);
        bob.awaitDelivered("Loud and clear. 你好 👋");

        alice.hangUp();
        alice.awaitCallState("ended");
        bob.awaitCallState("ended");
    }
}
