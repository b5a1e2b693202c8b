import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Constants;
import org.apache.catalina.startup.ContextConfig;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.LoginConfig;
import org.apache.tomcat.util.descriptor.web.SecurityCollection;
import org.apache.tomcat.util.descriptor.web.SecurityConstraint;

/**
 * Embedded Tomcat for the container tests (local.textchat.containers.TomcatTarget), run as a
 * child JVM in source-file mode, {@code java -cp <tomcat jars> TomcatLauncher.java <war> <base dir>},
 * so that Tomcat 10.1 and 11 each get a classpath of their own and the test JVM none of Tomcat.
 * It is compiled against the Tomcat API the two versions share; the build never compiles it.
 *
 * <p>Listens on 127.0.0.1 on a free port, printed as {@code port N}. Then reads commands, one a
 * line, from standard input and answers each on standard output:
 * <ul>
 * <li>{@code deploy /path open|basic [key=value …]}: the unchanged WAR at {@code /path}, values
 *     URL-encoded, given to it as context init parameters (what a {@code <Parameter>} in a
 *     context.xml does). {@code basic} protects {@code /signal} with BASIC authentication, as a
 *     deployment that wants authenticated sockets would, with the users alice and bob (password:
 *     the name reversed). Answers {@code deployed /path} or {@code failed /path reason}.</li>
 * <li>{@code undeploy /path}: stops and removes that application. Answers {@code undeployed /path}.</li>
 * </ul>
 * End of input (the test JVM closed the pipe, or died) stops Tomcat and ends the process.
 */
public class TomcatLauncher {

    public static void main(String[] args) throws Exception {
        String war = new File(args[0]).getAbsolutePath();
        Path base = Path.of(args[1]).toAbsolutePath();
        Files.createDirectories(base.resolve("webapps"));

        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.getHost().setAppBase(base.resolve("webapps").toString());
        tomcat.getHost().setAutoDeploy(false);
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        for (String name : new String[] {"alice", "bob"}) {
            tomcat.addUser(name, new StringBuilder(name).reverse().toString());
            tomcat.addRole(name, "chat");
        }
        tomcat.start();
        System.out.println("port " + connector.getLocalPort());
        System.out.flush();

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] words = line.trim().split(" ");
            try {
                switch (words[0]) {
                    case "deploy" -> {
                        deploy(tomcat, war, words);
                        System.out.println("deployed " + words[1]);
                    }
                    case "undeploy" -> {
                        Context context = (Context) tomcat.getHost().findChild(words[1]);
                        if (context != null) {
                            tomcat.getHost().removeChild(context);
                        }
                        System.out.println("undeployed " + words[1]);
                    }
                    default -> System.out.println("failed " + line + " unknown command");
                }
            } catch (Exception | LinkageError e) {
                e.printStackTrace();
                System.out.println("failed " + (words.length > 1 ? words[1] : "") + " " + e);
            }
            System.out.flush();
        }
        tomcat.stop();
        tomcat.destroy();
        System.exit(0);
    }

    private static void deploy(Tomcat tomcat, String war, String[] words) {
        String path = words[1];
        StandardContext context = new StandardContext();
        context.setName(path);
        context.setPath(path);
        context.setDocBase(war);
        context.setParentClassLoader(TomcatLauncher.class.getClassLoader());
        ContextConfig config = new ContextConfig();
        config.setDefaultWebXml(Constants.NoDefaultWebXml);
        context.addLifecycleListener(config);
        // What conf/web.xml gives every application of a standalone Tomcat: static files, MIME types,
        // welcome files. (Tomcat.addWebapp would add the JSP servlet too, which is not on this classpath.)
        Wrapper files = Tomcat.addServlet(context, "default", "org.apache.catalina.servlets.DefaultServlet");
        files.setLoadOnStartup(1);
        files.addInitParameter("listings", "false");
        context.addServletMappingDecoded("/", "default");
        Tomcat.addDefaultMimeTypeMappings(context);
        context.addWelcomeFile("index.html");

        for (int i = 3; i < words.length; i++) {
            int eq = words[i].indexOf('=');
            context.addParameter(words[i].substring(0, eq),
                    URLDecoder.decode(words[i].substring(eq + 1), StandardCharsets.UTF_8));
        }
        if ("basic".equals(words[2])) {
            LoginConfig login = new LoginConfig();
            login.setAuthMethod("BASIC");
            login.setRealmName("textchat");
            context.setLoginConfig(login);
            SecurityCollection signal = new SecurityCollection();
            signal.addPatternDecoded("/signal");
            SecurityConstraint constraint = new SecurityConstraint();
            constraint.addCollection(signal);
            constraint.addAuthRole("chat");
            context.addConstraint(constraint);
            context.addSecurityRole("chat");
        }
        tomcat.getHost().addChild(context);
        if (!context.getState().isAvailable()) {
            throw new IllegalStateException("context " + path + " did not start: " + context.getState());
        }
    }
}
