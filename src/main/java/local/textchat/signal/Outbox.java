package local.textchat.signal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.websocket.CloseReason;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import local.textchat.protocol.ServerMessage;
import local.textchat.registry.Connection;

/**
 * The outbound path of one socket: messages go out one at a time, in order, asynchronously.
 *
 * <p>One at a time because containers refuse overlapping sends to one session (Tomcat throws
 * {@code IllegalStateException: The remote endpoint was in state [TEXT_FULL_WRITING]}).
 * Asynchronous so that a slow receiver never blocks the thread relaying to it: its messages
 * wait here, up to a bound, and past the bound its socket is closed with 1008.
 *
 * <p>{@link #pump} is the usual work-in-progress drain loop: whoever raises {@code wip} from
 * zero sends; everyone else only records that there is more to do. A send that completes on
 * the calling thread therefore loops instead of recursing.
 */
final class Outbox implements Connection {

    private static final System.Logger LOG = System.getLogger(Outbox.class.getName());

    private final Session session;
    private final int backlogLimit;
    private final Queue<ServerMessage> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger backlog = new AtomicInteger();
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean inFlight;

    Outbox(Session session, int backlogLimit) {
        this.session = session;
        this.backlogLimit = backlogLimit;
    }

    @Override
    public String id() {
        return session.getId();
    }

    @Override
    public void send(ServerMessage message) {
        if (closed.get()) {
            return;
        }
        if (backlog.incrementAndGet() > backlogLimit) {
            backlog.decrementAndGet();
            LOG.log(Level.WARNING, "socket {0}: receiver too slow, {1} messages waiting; closing with 1008",
                    id(), backlogLimit);
            close(CloseReason.CloseCodes.VIOLATED_POLICY.getCode(), "too slow to receive");
            return;
        }
        queue.add(message);
        pump();
    }

    @Override
    public void close(int code, String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        queue.clear();
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.DEBUG, "socket {0}: close failed: {1}", id(), e.toString());
        }
    }

    /** Messages queued or being written now. */
    int backlog() {
        return backlog.get();
    }

    private void pump() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            if (!inFlight && !closed.get()) {
                ServerMessage next = queue.poll();
                if (next != null) {
                    inFlight = true;
                    write(next);
                }
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void write(ServerMessage message) {
        try {
            session.getAsyncRemote().sendObject(message, this::sent);
        } catch (RuntimeException e) {
            // The session closed under us (IllegalStateException) or the container refused the send.
            sent(new SendResult(e));
        }
    }

    private void sent(SendResult result) {
        backlog.decrementAndGet();
        inFlight = false;
        if (!result.isOK()) {
            if (!closed.get() && session.isOpen()) {
                LOG.log(Level.INFO, "socket {0}: send failed ({1}); closing", id(), result.getException());
                close(CloseReason.CloseCodes.UNEXPECTED_CONDITION.getCode(), "send failed");
            }
            return;
        }
        pump();
    }
}
