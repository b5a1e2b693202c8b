package local.textchat.app;

import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * The one place that asks the container for a CDI bean. Tomcat has no CDI at all (the API
 * classes are missing) and Tyrus standalone has the API but no container behind it, so every
 * failure here means "no CDI": the caller then makes its own instance.
 */
final class ContainerBeans {

    private static final System.Logger LOG = System.getLogger(ContainerBeans.class.getName());

    private ContainerBeans() {
    }

    static <T> Optional<T> find(Class<T> type) {
        try {
            Class.forName("jakarta.enterprise.inject.spi.CDI", false, ContainerBeans.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
        try {
            var instance = jakarta.enterprise.inject.spi.CDI.current().select(type);
            if (instance.isResolvable()) {
                return Optional.of(instance.get());
            }
            return Optional.empty();
        } catch (IllegalStateException | LinkageError e) {
            LOG.log(Level.DEBUG, "no CDI container ({0}); using a plain {1}", e.toString(), type.getSimpleName());
            return Optional.empty();
        }
    }
}
