package local.textchat.support;

import java.util.Map;

/**
 * Where the integration tests run the application. By default Tyrus standalone in the test JVM,
 * a fresh server per test; with {@code -Dtextchat.target=NAME} (set by the failsafe executions in
 * pom.xml) the packaged WAR on a real container, started once for the whole test JVM and
 * stopped when it exits (see {@link Targets}).
 */
public interface Target {

    /** The target chosen for this test JVM, started on first use. */
    static Target current() {
        return Targets.current();
    }

    /** {@code tyrus}, {@code tomcat-10.1}, {@code tomcat-11}, {@code payara}, {@code wildfly}, {@code wildfly-io}. */
    String name();

    /**
     * The application running with {@code settings} (every {@code textchat.*} value the test
     * relies on; defaults for the rest). A container that takes settings only when it starts
     * (Payara Micro, WildFly) starts another process of itself for them.
     */
    Deployment deploy(Map<String, String> settings);

    /**
     * Whether WebSocket handshakes pass through the application's servlet filters, so that a
     * foreign Origin is refused with HTTP 403 before the upgrade (true for every real container).
     */
    boolean servletContainer();
}
