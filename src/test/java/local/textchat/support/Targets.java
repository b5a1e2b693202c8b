package local.textchat.support;

import local.textchat.containers.PayaraMicroTarget;
import local.textchat.containers.TomcatTarget;
import local.textchat.containers.WildFlyTarget;

/** Picks the {@link Target} named by {@code -Dtextchat.target}, once per test JVM. */
final class Targets {

    private static Target current;
    private static RuntimeException failure;

    private Targets() {
    }

    static synchronized Target current() {
        if (failure != null) {
            // One failed start fails every test with its cause instead of starting again each time.
            throw new IllegalStateException("the target failed to start earlier in this JVM", failure);
        }
        if (current == null) {
            String name = System.getProperty("textchat.target", "tyrus");
            try {
                current = switch (name) {
                    case "tyrus" -> new TyrusTarget();
                    case "tomcat-10.1", "tomcat-11" -> TomcatTarget.start(name);
                    case "payara" -> PayaraMicroTarget.start(TestServer.DEFAULTS);
                    case "wildfly" -> WildFlyTarget.start(TestServer.DEFAULTS);
                    case "wildfly-io" -> WildFlyTarget.start(TestServer.DEFAULTS, true);
                    default -> throw new IllegalArgumentException("unknown textchat.target " + name
                            + "; one of tyrus, tomcat-10.1, tomcat-11, payara, wildfly, wildfly-io");
                };
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
        }
        return current;
    }
}
