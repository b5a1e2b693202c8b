package local.textchat.signal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import jakarta.websocket.CloseReason;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import local.textchat.metrics.Metrics;
import local.textchat.registry.Connection;

/**
 * One socket's outbound path, and what the server knows of the socket: messages go out one at
 * a time, in order, asynchronously.
 *
 * <p>One at a time because containers refuse overlapping sends to one session (Tomcat throws
 * {@code IllegalStateException: The remote endpoint was in state [TEXT_FULL_WRITING]}); the
 * heartbeat's ping frames take the same path for the same reason. Asynchronous so that a slow
 * receiver never blocks the thread relaying to it: its messages wait here, up to a bound, and
 * past the bound its socket is closed with 1008.
 *
 * <p>{@link #pump} is the usual work-in-progress drain loop: whoever raises {@code wip} from
 * zero sends; everyone else only records that there is more to do. A send that completes on
 * the calling thread therefore loops instead of recursing.
 */
final class Outbox implements Connection {

    private static final System.Logger LOG = System.getLogger(Outbox.class.getName());
    /** A relayed frame, and when it was queued. */
    private record Timed(String frame, long since) {
    }

    /** Queued in place of a message to send a WebSocket ping frame. */
    private static final Object PING = new Object();
    /** How long a close waits for the message being written. */
    private static final long CLOSE_WAIT_MS = 1000;

    private final Session session;
    private final ScheduledExecutorService timers;
    private final Metrics metrics;
    /** Told when a send fails: the connection is gone even if the container never reports its close. */
    private final Consumer<Outbox> lost;
    private final String remoteAddress;
    private final String principal;
    private final int backlogLimit;
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger backlog = new AtomicInteger();
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** A send failed and this outbox closed the socket with 1011 for it (SignalEndpoint: then a drop). */
    private volatile boolean sendFailed;
    private volatile boolean inFlight;
    /** When the relayed frame in flight was queued (System.nanoTime), or 0 for any other frame. */
    private volatile long sending;
    /** One completion handler for every send (a method reference would be a new object each time). */
    /** The reason phrase of the 1011 this outbox closes with when a send failed. */
    private static final String SEND_FAILED = "send failed";

    private final SendHandler onSent = this::sent;
    /** Set by {@link #close}: the close frame to send once nothing is in flight. */
    private volatile CloseReason closing;
    private final AtomicBoolean closeSent = new AtomicBoolean();
    private volatile long lastHeard = System.nanoTime();
    private volatile long lastPinged = lastHeard;

    Outbox(Session session, String remoteAddress, String principal, int backlogLimit, ScheduledExecutorService timers,
           Metrics metrics, Consumer<Outbox> lost) {
        this.session = session;
        this.timers = timers;
        this.metrics = metrics;
        this.lost = lost;
        this.remoteAddress = remoteAddress;
        this.principal = principal;
        this.backlogLimit = backlogLimit;
    }

    @Override
    public String id() {
        return session.getId();
    }

    /** The client's IP address, or {@value RemoteAddress#UNKNOWN}. */
    String remoteAddress() {
        return remoteAddress;
    }

    /** The name the container authenticated the handshake as, or null. */
    String principal() {
        return principal;
    }

    /** The client was heard from (a message or a pong). */
    void heard() {
        lastHeard = System.nanoTime();
    }

    long lastHeard() {
        return lastHeard;
    }

    /** Whether a ping is due at {@code now}; if so, records it as sent. Called by the one timer thread. */
    boolean pingDue(long now, long interval) {
        if (now - lastPinged < interval) {
            return false;
        }
        lastPinged = now;
        return true;
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Whether a send to this client failed and this outbox closed the socket for it. */
    boolean sendFailed() {
        return sendFailed;
    }

    @Override
    public boolean isOpen() {
        return !closed.get() && session.isOpen();
    }

    @Override
    public void send(String frame) {
        enqueue(frame);
    }

    /** A relayed frame: timed from now until its send completes. */
    @Override
    public void relay(String frame) {
        enqueue(new Timed(frame, System.nanoTime()));
    }

    /** Messages queued and not yet written. */
    int backlog() {
        return backlog.get();
    }

    /** Queue a WebSocket ping frame behind whatever is waiting. */
    void ping() {
        enqueue(PING);
    }

    /**
     * Close the socket: nothing more is sent, and the close frame goes out once the message
     * being written (if any) is done, never in the middle of it. Containers differ in what a
     * close written during an asynchronous send does (once on Payara a client read a broken
     * frame just after such a close); in order, the question does not arise. A send that does
     * not finish within {@link #CLOSE_WAIT_MS} (a stuck receiver) is not waited for.
     */
    @Override
    public void close(int code, String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        queue.clear();
        closing = new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason);
        pump();
        if (!closeSent.get()) {
            try {
                timers.schedule(this::sendClose, CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException shuttingDown) {
                sendClose();
            }
        }
    }

    private void sendClose() {
        if (!closeSent.compareAndSet(false, true)) {
            return;
        }
        try {
            session.close(closing);
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.DEBUG, "socket {0}: close failed: {1}", id(), e.toString());
        }
    }

    private void enqueue(Object item) {
        if (closed.get()) {
            return;
        }
        if (backlog.incrementAndGet() > backlogLimit) {
            backlog.decrementAndGet();
            LOG.log(Level.WARNING, "socket {0}: receiver too slow, {1} messages waiting; closing with 1008",
                    id(), backlogLimit);
            metrics.closed(Metrics.Close.SLOW_RECEIVER);
            close(CloseReason.CloseCodes.VIOLATED_POLICY.getCode(), "too slow to receive");
            return;
        }
        queue.add(item);
        pump();
    }

    private void pump() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            if (!inFlight) {
                if (closing != null) {
                    sendClose();
                } else if (!closed.get()) {
                    Object next = queue.poll();
                    if (next != null) {
                        inFlight = true;
                        write(next);
                    }
                }
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void write(Object item) {
        try {
            if (item == PING) {
                session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
                sent(new SendResult());
            } else {
                if (item instanceof Timed timed) {
                    sending = timed.since();
                    session.getAsyncRemote().sendText(timed.frame(), onSent);
                } else {
                    sending = 0;
                    session.getAsyncRemote().sendText((String) item, onSent);
                }
            }
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Exception | Error e) {
            // The session closed under us (IllegalStateException), or the container refused the send;
            // Tyrus throws java.lang.Error for text UTF-8 cannot encode. Either way this item is done,
            // or the outbox would wait for a completion that never comes.
            sent(new SendResult(e));
        }
    }

    private void sent(SendResult result) {
        backlog.decrementAndGet();
        if (sending != 0 && result.isOK()) {
            metrics.relayLatency(System.nanoTime() - sending);
        }
        inFlight = false;
        if (!result.isOK()) {
            boolean closedByUs = closed.get();
            if (!closedByUs && session.isOpen()) {
                sendFailed = true;
                LOG.log(Level.INFO, "socket {0}: send failed ({1}); closing", id(), result.getException());
                close(CloseReason.CloseCodes.UNEXPECTED_CONDITION.getCode(), SEND_FAILED);
            }
            // Our close can race the container's own so that @OnClose never comes (Switchboard.lost).
            if (!closedByUs) {
                lost.accept(this);
            }
            return;
        }
        pump();
    }
}
