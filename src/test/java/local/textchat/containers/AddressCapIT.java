package local.textchat.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import local.textchat.config.Settings;
import local.textchat.support.RawClient;
import local.textchat.support.TestServer;
import local.textchat.support.WsClient;

/**
 * PROTOCOL.md, Capacity, at its default on every container: the sockets-per-address cap needs
 * the client's address, which Tomcat and Undertow do not give the endpoint (the handshake filter
 * hands it over; see {@code signal.RemoteAddress}). CapacityTest checks a small cap where a
 * container can be configured for it; this checks the default cap everywhere.
 */
class AddressCapIT {

    private TestServer server;
    private final List<WsClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        ContainerTarget.required(ContainerTarget.class, "checks how a container hands over the client's address");
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        clients.forEach(WsClient::close);
        server.close();
    }

    @Test
    void theHandshakePastTheDefaultPerAddressCapIsRefusedWith429() {
        int cap = Settings.load().maxSocketsPerAddress();
        for (int i = 0; i < cap; i++) {
            clients.add(server.connect());
        }
        clients.forEach(WsClient::sync); // the server has counted them all
        try (RawClient over = RawClient.connect(server.signalUri(), null)) {
            assertEquals(429, over.status(), "refused before the upgrade");
        }
        clients.get(0).close();
        clients.get(1).sync();
        // A freed place can be taken again (once the server has seen the close).
        WsClient again = awaitAdmitted();
        again.login("cap-again");
    }

    private WsClient awaitAdmitted() {
        for (int attempt = 0; attempt < 50; attempt++) {
            WsClient client = server.connect();
            clients.add(client);
            try {
                client.sync();
                return client;
            } catch (AssertionError | IllegalStateException refused) {
                ContainerTarget.sleep(100);
            }
        }
        throw new AssertionError("no socket admitted after one was closed");
    }
}
