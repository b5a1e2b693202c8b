package local.textchat.tyrus;

import java.io.File;
import java.io.IOException;
import java.net.BindException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.annotation.WebServlet;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerApplicationConfig;
import jakarta.websocket.server.ServerEndpoint;

import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;

/**
 * Compiles the project, then serves its {@code @ServerEndpoint} classes on Tyrus (Grizzly) together with the
 * webapp directory and the class path's {@code META-INF/resources} (WebJars), on one address and port, at the
 * context path a WAR deployment would have.
 * <p>
 * The application's classes see the jakarta.websocket API from this plugin (Tyrus's), and the project's compile,
 * provided and runtime dependencies after it. System properties given as -D on Maven's command line are system
 * properties of this JVM, so application configuration passes as in a deployment; environment variables too.
 */
@Mojo(name = "run", requiresDependencyResolution = ResolutionScope.COMPILE_PLUS_RUNTIME, threadSafe = true)
@Execute(phase = LifecyclePhase.PROCESS_CLASSES)
public class RunMojo extends AbstractMojo {

    /** Grizzly's start/stop INFO lines would only repeat the banner; held so the level sticks. */
    private static final Logger GRIZZLY_LOG = Logger.getLogger("org.glassfish.grizzly");

    private static final String JUL_FORMAT = "java.util.logging.SimpleFormatter.format";

    /** Address to bind; only connections to it are accepted. 0.0.0.0 opens the server to the network. */
    @Parameter(property = "tyrus.host", defaultValue = "127.0.0.1")
    private String host;

    /** Port for HTTP and WebSocket; 0 picks a free one. */
    @Parameter(property = "tyrus.port", defaultValue = "8080")
    private int port;

    /** Context path, by default the one the WAR gets when deployed under its file name. */
    @Parameter(property = "tyrus.contextPath", defaultValue = "/${project.build.finalName}")
    private String contextPath;

    /** Static files, served straight from here so that an edit shows on the next browser refresh. */
    @Parameter(property = "tyrus.webappDir", defaultValue = "${project.basedir}/src/main/webapp")
    private File webappDir;

    /** Seconds after which the server stops by itself (for scripts); 0 runs until Ctrl-C. */
    @Parameter(property = "tyrus.stopAfter", defaultValue = "0")
    private int stopAfter;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        Options options;
        try {
            options = new Options(host, port, contextPath, webappDir.toPath(), stopAfter);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException(e.getMessage());
        }
        Path classesDir = Path.of(project.getBuild().getOutputDirectory());
        if (!getLog().isDebugEnabled()) {
            GRIZZLY_LOG.setLevel(Level.WARNING);
        }
        if (System.getProperty(JUL_FORMAT) == null) { // the app's java.util.logging lines, like Maven's
            System.setProperty(JUL_FORMAT, "[%4$s] %3$s: %5$s%6$s%n");
        }

        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader appLoader = new URLClassLoader("tyrus-run:" + project.getArtifactId(),
                toUrls(classPath()), getClass().getClassLoader())) {
            Set<Class<?>> classes = EndpointScanner.scan(classesDir, appLoader, getLog()::debug);
            StaticFiles files = new StaticFiles(options.contextPath(), options.webappDir(), appLoader);
            thread.setContextClassLoader(appLoader);
            DevServer server = start(options, classes, files, appLoader);
            banner(options, server.port(), classes);
            waitForStop(server, options.stopAfter());
        } catch (IOException e) {
            throw new MojoExecutionException("tyrus:run failed: " + e, e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private DevServer start(Options options, Set<Class<?>> classes, StaticFiles files, ClassLoader appLoader)
            throws IOException, MojoFailureException {
        try {
            return DevServer.start(options, classes, files, appLoader);
        } catch (BindException e) {
            throw new MojoFailureException(bindFailure(options, e));
        } catch (DeploymentException e) {
            throw new MojoFailureException("Cannot deploy the WebSocket endpoints: " + e.getMessage());
        }
    }

    /** One line saying what to do, instead of a stack trace. */
    static String bindFailure(Options options, BindException e) {
        String reason = String.valueOf(e.getMessage());
        if (reason.toLowerCase().contains("in use")) {
            return "Port " + options.port() + " on " + options.host() + " is already in use; pass -Dtyrus.port=...";
        }
        return "Cannot listen on " + options.host() + ":" + options.port() + " (" + reason
                + "); pass -Dtyrus.host=... with an address of this machine, e.g. 127.0.0.1";
    }

    /**
     * The project's classes and dependencies: runtime class path first, then what only compiling sees
     * (provided scope, e.g. the Jakarta EE APIs that a container supplies). Parent-first delegation gives the
     * plugin's own jakarta.websocket API and Tyrus precedence over any copy there.
     */
    private List<String> classPath() throws MojoExecutionException {
        try {
            return merge(project.getRuntimeClasspathElements(), project.getCompileClasspathElements());
        } catch (DependencyResolutionRequiredException e) {
            throw new MojoExecutionException("Dependencies not resolved: " + e.getMessage(), e);
        }
    }

    static List<String> merge(List<String> first, List<String> second) {
        Set<String> all = new LinkedHashSet<>(first);
        all.addAll(second);
        return new ArrayList<>(all);
    }

    private static URL[] toUrls(List<String> elements) throws MojoExecutionException {
        List<URL> urls = new ArrayList<>();
        for (String element : elements) {
            try {
                urls.add(Path.of(element).toUri().toURL());
            } catch (MalformedURLException e) {
                throw new MojoExecutionException("Bad class path element " + element, e);
            }
        }
        return urls.toArray(new URL[0]);
    }

    private void banner(Options options, int boundPort, Set<Class<?>> classes) {
        String line = "------------------------------------------------------------------------";
        getLog().info(line);
        getLog().info("Tyrus development server for " + project.getArtifactId());
        for (Class<?> cls : classes) {
            ServerEndpoint endpoint = cls.getAnnotation(ServerEndpoint.class);
            if (endpoint != null) {
                getLog().info("  WebSocket  " + options.webSocketUrl(boundPort, endpoint.value())
                        + "  (" + cls.getName() + ")");
            } else if (ServerApplicationConfig.class.isAssignableFrom(cls)) {
                getLog().info("  Config     " + cls.getName() + " (decides which endpoints are deployed)");
            } else if (cls.isAnnotationPresent(WebListener.class)) {
                getLog().info("  Listener   " + cls.getName());
            } else if (cls.isAnnotationPresent(WebFilter.class)) {
                getLog().info("  Filter     " + String.join(", ", patterns(cls.getAnnotation(WebFilter.class).value(),
                        cls.getAnnotation(WebFilter.class).urlPatterns())) + "  (" + cls.getName() + ")");
            } else if (cls.isAnnotationPresent(WebServlet.class)) {
                getLog().info("  Servlet    " + options.pageUrl(boundPort) + String.join(", ", patterns(
                        cls.getAnnotation(WebServlet.class).value(), cls.getAnnotation(WebServlet.class).urlPatterns()))
                        .replaceFirst("^/", "") + "  (" + cls.getName() + ")");
            }
        }
        if (classes.stream().noneMatch(EndpointScanner::isDeployable)) {
            getLog().warn("No @ServerEndpoint class in " + project.getBuild().getOutputDirectory()
                    + ": serving static files only");
        }
        getLog().info("  Static     " + options.webappDir() + (Files.isDirectory(options.webappDir())
                ? " (live)" : " (missing)") + " + class path " + StaticFiles.CLASSPATH_ROOT);
        getLog().info("  Options    " + String.join(", ", options.describe()));
        Map<String, String> appProperties = appProperties();
        if (!appProperties.isEmpty()) {
            getLog().info("  App -D     " + appProperties);
        }
        getLog().info(line);
        getLog().info("Open " + options.pageUrl(boundPort) + (options.stopAfter() > 0
                ? "   (stops after " + options.stopAfter() + " s)" : "   (Ctrl-C to stop)"));
        getLog().info(line);
    }

    private static String[] patterns(String[] value, String[] urlPatterns) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(value), java.util.Arrays.stream(urlPatterns))
                .toArray(String[]::new);
    }

    /** The -D properties named after the project (e.g. textchat.iceServers): its configuration, shown once. */
    private Map<String, String> appProperties() {
        Map<String, String> found = new TreeMap<>();
        String prefix = project.getArtifactId() + ".";
        session.getUserProperties().forEach((k, v) -> {
            if (k.toString().startsWith(prefix)) {
                found.put(k.toString(), v.toString());
            }
        });
        return found;
    }

    /** Runs until the time is up or Ctrl-C, which runs the JVM's shutdown hooks. */
    private void waitForStop(DevServer server, int seconds) {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            getLog().info("Stopping the Tyrus development server");
            server.close();
            stopped.countDown();
        }, "tyrus-run-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            boolean byHook = seconds > 0 ? stopped.await(seconds, TimeUnit.SECONDS) : awaitForever(stopped);
            if (byHook) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return; // the hook is running and stops the server
        }
        server.close();
        getLog().info("Tyrus development server stopped" + (seconds > 0 ? " after " + seconds + " s" : ""));
    }

    private static boolean awaitForever(CountDownLatch latch) throws InterruptedException {
        latch.await();
        return true;
    }
}
