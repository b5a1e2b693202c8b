package local.textchat.support;

import java.net.URI;

/** The application as one test sees it: where it is, and what to do when the test is done. */
public interface Deployment {

    /** The application's root, {@code http://127.0.0.1:PORT/CONTEXT/}. */
    URI baseUri();

    /**
     * The test is done with it. A fresh server is stopped; a shared deployment is waited for
     * until every socket of the test has closed and every name is free, so that the next test
     * starts from an empty registry.
     */
    void release();

    /** Stop the application as an undeploy or a server shutdown would (its sockets get 1001). */
    void stopApplication();
}
