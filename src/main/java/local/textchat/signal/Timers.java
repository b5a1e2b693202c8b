package local.textchat.signal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one timer thread of the application: grace-period expiries and heartbeat sweeps.
 * A plain daemon thread because Tomcat has no managed executor; {@link #shutdown} is called
 * when the web application stops so that an undeploy leaves no thread behind.
 */
final class Timers {

    private static ScheduledThreadPoolExecutor executor;

    private Timers() {
    }

    static synchronized ScheduledExecutorService get() {
        if (executor == null || executor.isShutdown()) {
            executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "textchat-timers");
                thread.setDaemon(true);
                return thread;
            });
            executor.setRemoveOnCancelPolicy(true);
        }
        return executor;
    }

    static synchronized void shutdown() {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }
}
