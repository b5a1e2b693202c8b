package local.textchat.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import local.textchat.support.Deployment;
import local.textchat.support.RawClient;
import local.textchat.support.WsClient;

/**
 * PROTOCOL.md, Authenticated deployments: where the container authenticated the handshake, a
 * socket may log in only as its principal. Tomcat is set up for it as an administrator would
 * (a security constraint with BASIC authentication on /signal and a realm with users), in the test
 * container only: the WAR itself asks for no authentication.
 */
class PrincipalBindingIT {

    private Deployment deployment;
    private URI signal;

    @BeforeEach
    void deploy() {
        deployment = ContainerTarget.required(TomcatTarget.class, "needs BASIC authentication, set up in the test Tomcat")
                .authenticatedDeployment();
        URI base = deployment.baseUri();
        signal = URI.create("ws://" + base.getHost() + ":" + base.getPort() + base.getPath() + "signal");
    }

    @AfterEach
    void release() {
        if (deployment != null) {
            deployment.release();
        }
    }

    private static Map<String, String> basic(String user, String password) {
        String pair = user + ":" + password;
        return Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonObject loginReply(WsClient client, String name) {
        client.send("{\"type\":\"login\",\"name\":\"" + name + "\"}");
        return client.next("login");
    }

    @Test
    void anUnauthenticatedHandshakeIsRefusedWith401() {
        try (RawClient client = RawClient.connect(signal, null)) {
            assertEquals(401, client.status());
        }
    }

    @Test
    void authenticatedAsAliceTheSocketLogsInAsAlice() {
        try (WsClient alice = WsClient.connect(signal, basic("alice", "ecila"))) {
            JsonObject reply = loginReply(alice, "alice");
            assertTrue(reply.getBoolean("success"), reply::toString);
            assertEquals("alice", reply.getString("name"));
        }
    }

    @Test
    void authenticatedAsAliceTheSocketMayNotLogInAsBob() {
        try (WsClient alice = WsClient.connect(signal, basic("alice", "ecila"))) {
            JsonObject reply = loginReply(alice, "bob");
            assertFalse(reply.getBoolean("success"), reply::toString);
            assertEquals("unauthorized", reply.getString("reason"));
            // The refusal leaves the socket usable, for its own name.
            assertTrue(loginReply(alice, "Alice").getBoolean("success"));
        }
    }
}
