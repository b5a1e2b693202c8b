package local.textchat.containers;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Stops the containers when the last test of the JVM has run, while the test report still takes
 * output (the report lines then appear in the build log). Registered for the container runs only,
 * by extension auto-detection (META-INF/services, switched on by the failsafe executions).
 */
public final class ContainerLifecycle implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.create(ContainerLifecycle.class))
                .getOrComputeIfAbsent("containers", key -> (AutoCloseable) ContainerTarget::stopAll, AutoCloseable.class);
    }
}
