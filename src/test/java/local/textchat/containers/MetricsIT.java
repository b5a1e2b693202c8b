package local.textchat.containers;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import local.textchat.support.MetricsExercise;
import local.textchat.support.TestServer;

/**
 * {@code /metrics} in each real container: the Prometheus client's text, bundled in the WAR, is
 * served by the container's own servlet stack, accepted by promtool, and counts what the
 * container's WebSocket sessions did.
 */
class MetricsIT {

    private TestServer server;

    @BeforeEach
    void start() {
        ContainerTarget.required(ContainerTarget.class, "scrapes /metrics from the deployed WAR");
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void countsWhatTheSocketDidInTextThatPromtoolAccepts() {
        MetricsExercise.run(server.baseUri(), server.signalUri(), null, "container-metrics");
    }
}
