package local.textchat.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import local.textchat.support.TestServer;
import local.textchat.support.WsClient;

/**
 * Where the container has CDI (Payara, WildFly) the registry is its {@code @ApplicationScoped}
 * bean, and without (Tomcat) a plain instance. The health servlet looks the bean up on its own;
 * its user count follows the logins on {@code /signal} only if the endpoint holds that same bean.
 */
class RegistryIT {

    private TestServer server;
    private ContainerTarget container;

    @BeforeEach
    void start() {
        container = ContainerTarget.required(ContainerTarget.class, "compares the registry with the container's CDI");
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theRegistryIsTheContainersBeanWhereThereIsCdi() {
        JsonObject health = ContainerTarget.health(server.baseUri());
        assertEquals("up", health.getString("status"));
        assertEquals(container.hasCdi() ? "cdi" : "plain", health.getString("registry"), health::toString);
        assertTrue(health.getString("registryClass").startsWith("local.textchat.registry.Users"),
                health::toString);
    }

    @Test
    void theEndpointAndTheHealthServletSeeTheSameRegistry() {
        try (WsClient alice = server.login("reg-alice"); WsClient bob = server.login("reg-bob");
             WsClient lurker = server.connect()) {
            alice.sync();
            bob.sync();
            lurker.sync();
            JsonObject health = ContainerTarget.health(server.baseUri());
            assertEquals(2, health.getInt("users"), health::toString);
            assertEquals(3, health.getInt("sockets"), health::toString);
        }
    }
}
