package local.textchat.tyrus;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EventListener;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.annotation.WebServlet;
import jakarta.websocket.Endpoint;
import jakarta.websocket.server.ServerApplicationConfig;
import jakarta.websocket.server.ServerEndpoint;

/**
 * Finds in a class output directory what a servlet container would deploy from WEB-INF/classes:
 * {@code @ServerEndpoint} classes, {@code ServerApplicationConfig} implementations and programmatic
 * {@code Endpoint} subclasses (which only a ServerApplicationConfig deploys, as in a container; Tyrus applies
 * those rules), and the {@code @WebListener}, {@code @WebFilter} and {@code @WebServlet} classes.
 */
public final class EndpointScanner {

    private EndpointScanner() {
    }

    /**
     * @param classesDir a class output directory such as target/classes; a missing one has no classes
     * @param loader     loads the classes (without initializing them); must see the jakarta.websocket API that
     *                   the server uses
     * @param debug      told about classes that cannot be loaded
     * @return the deployable classes, sorted by name
     */
    public static Set<Class<?>> scan(Path classesDir, ClassLoader loader, Consumer<String> debug) throws IOException {
        if (!Files.isDirectory(classesDir)) {
            return Set.of();
        }
        List<String> names;
        try (Stream<Path> files = Files.walk(classesDir)) {
            names = files.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> className(classesDir.relativize(f)))
                    .filter(n -> !n.endsWith("module-info") && !n.endsWith("package-info"))
                    .sorted(Comparator.naturalOrder())
                    .collect(Collectors.toList());
        }
        Set<Class<?>> found = new LinkedHashSet<>();
        for (String name : names) {
            try {
                Class<?> cls = Class.forName(name, false, loader);
                if (isDeployable(cls) || isServletComponent(cls)) {
                    found.add(cls);
                }
            } catch (ClassNotFoundException | LinkageError e) {
                debug.accept("Skipping " + name + ": " + e);
            }
        }
        return found;
    }

    /** "a/b/C$D.class" to "a.b.C$D". */
    private static String className(Path relative) {
        StringBuilder name = new StringBuilder();
        for (Path part : relative) {
            name.append(name.length() == 0 ? "" : ".").append(part);
        }
        return name.substring(0, name.length() - ".class".length());
    }

    /** Whether {@code cls} is deployed to the WebSocket container. */
    public static boolean isDeployable(Class<?> cls) {
        if (cls.isInterface() || Modifier.isAbstract(cls.getModifiers())) {
            return false;
        }
        return cls.isAnnotationPresent(ServerEndpoint.class)
                || ServerApplicationConfig.class.isAssignableFrom(cls)
                || Endpoint.class.isAssignableFrom(cls);
    }

    /** Whether {@code cls} is a servlet component a container would deploy from its annotation. */
    public static boolean isServletComponent(Class<?> cls) {
        if (cls.isInterface() || Modifier.isAbstract(cls.getModifiers())) {
            return false;
        }
        return (cls.isAnnotationPresent(WebListener.class) && EventListener.class.isAssignableFrom(cls))
                || (cls.isAnnotationPresent(WebFilter.class) && Filter.class.isAssignableFrom(cls))
                || (cls.isAnnotationPresent(WebServlet.class) && Servlet.class.isAssignableFrom(cls));
    }
}
