package local.textchat.signal;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.DecodeException;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpoint;

import local.textchat.metrics.Metrics;
import local.textchat.policy.RateLimiter;
import local.textchat.protocol.ClientMessage;
import local.textchat.protocol.ErrorCode;
import local.textchat.protocol.MessageDecoder;
import local.textchat.protocol.MessageEncoder;

/**
 * The signaling socket: admit, rate-limit, decode, dispatch. One instance per connection;
 * everything shared lives in the {@link Switchboard} handed over by {@link SignalConfigurator}.
 */
@ServerEndpoint(value = "/signal", encoders = MessageEncoder.class, configurator = SignalConfigurator.class)
public class SignalEndpoint {

    private static final System.Logger LOG = System.getLogger(SignalEndpoint.class.getName());
    /** The reason phrase of Tyrus's own 1001 for a connection closed under it (its CloseReasons.GOING_AWAY). */
    private static final String TYRUS_TRANSPORT_CLOSED = "Going away.";

    private final Switchboard switchboard;
    private final MessageDecoder decoder;
    private final RateLimiter rate;
    /** The {@code ice-servers} requests' own, tighter limit; made at the first request. */
    private RateLimiter iceRefreshes;
    private Outbox outbox;

    /** {@code ice-servers} requests a socket may make at once, then one per {@link #ICE_REFRESH_SECONDS}. */
    static final int ICE_REFRESH_BURST = 5;
    static final int ICE_REFRESH_SECONDS = 5;

    /** The largest part of a text message the container hands over at once (UTF-16 units). */
    static final int PART_CHARS = 2048;

    /** The text message being put together from its parts; null between messages. */
    private StringBuilder text;
    /** Bytes of the binary message arriving so far. */
    private long binaryBytes;
    /** Set once a message went over the limit: the socket is closing, later parts are ignored. */
    private boolean oversized;

    /** The smallest binary buffer a socket starts with: binary frames are only counted, never kept. */
    private static final int BINARY_START_BYTES = 128;

    /**
     * Make this application's sockets start with small message buffers. A container that
     * allocates them when the socket opens, for its whole life (Tomcat: 8 KiB for binary, 8 Ki
     * characters for text), then spends a few KiB on an idle user; {@link #open} raises the
     * binary size to the limit, which such a container allocates only when a binary message
     * arrives.
     *
     * <p>Undertow (WildFly) is the exception: it allocates nothing per socket for these sizes, but
     * it may read a binary frame that arrives right after the handshake before {@link #open} has
     * raised the size, and then fails it ("UT002040: Message exceeded max message size of 128")
     * without delivering anything, so the client got neither the error nor a close (2–3 % of
     * such frames in a loop). There the sockets start with the full binary size.
     */
    public static void sizeBuffers(ServerContainer container, int maxMessageBytes) {
        container.setDefaultMaxTextMessageBufferSize(PART_CHARS);
        container.setDefaultMaxBinaryMessageBufferSize(
                allocatesNothingPerSocket(container) ? maxMessageBytes + 1 : BINARY_START_BYTES);
    }

    private static boolean allocatesNothingPerSocket(ServerContainer container) {
        return container.getClass().getName().startsWith("io.undertow.");
    }

    public SignalEndpoint(Switchboard switchboard) {
        this.switchboard = switchboard;
        var settings = switchboard.settings();
        this.decoder = new MessageDecoder(settings.maxMessageBytes());
        this.rate = new RateLimiter(settings.rateBurst(), settings.ratePerSecond(),
                TimeUnit.SECONDS.toNanos(settings.abuseSeconds()), System.nanoTime());
    }

    @OnOpen
    public void open(Session session) {
        var settings = switchboard.settings();
        // Text arrives in parts of at most this size (put together below, up to the limit), so a
        // container that keeps a text buffer of this size per socket for the socket's life (Tomcat)
        // spends a few KiB on an idle user instead of twice the limit. Binary frames are only
        // counted, but keep room for one over the limit: Undertow never delivers a binary message
        // larger than this buffer, so the client would get neither the error nor the 1009.
        session.setMaxTextMessageBufferSize(Math.min(PART_CHARS, settings.maxMessageBytes() + 1));
        session.setMaxBinaryMessageBufferSize(settings.maxMessageBytes() + 1);
        var properties = session.getUserProperties();
        outbox = new Outbox(session, RemoteAddress.of(session),
                (String) properties.get(SignalConfigurator.PRINCIPAL), settings.sendBacklog(), switchboard.timers(),
                switchboard.metrics(), switchboard::lost);
        Object refused = properties.get(SignalConfigurator.REFUSED);
        if (refused != null) {
            LOG.log(Level.WARNING, "socket {0}: {1}; closing with 1008", session.getId(), refused);
            switchboard.metrics().closed(Metrics.Close.ORIGIN);
            outbox.close(CloseCodes.VIOLATED_POLICY.getCode(), "origin not allowed");
            return;
        }
        if (!switchboard.opened(outbox)) {
            switchboard.metrics().closed(Metrics.Close.ADDRESS_CAP);
            outbox.close(CloseCodes.VIOLATED_POLICY.getCode(), "too many connections from your address");
            return;
        }
        LOG.log(Level.DEBUG, "socket {0}: open from {1}", session.getId(), outbox.remoteAddress());
    }

    /**
     * A part of a text message; most messages come whole, in one part. The parts of a longer one
     * are put together up to the size limit: past it the socket is closed with 1009 at once,
     * without holding the rest.
     */
    @OnMessage
    public void message(String part, boolean last) {
        if (oversized) {
            return;
        }
        String frame;
        if (text == null && last) {
            frame = part;
        } else {
            if (text == null) {
                text = new StringBuilder(Math.max(2 * part.length(), 256));
            }
            text.append(part);
            // Each UTF-16 unit is at least one UTF-8 byte: more units than the limit is over it.
            if (text.length() > switchboard.settings().maxMessageBytes()) {
                int units = text.length();
                text = null;
                tooBig("text message of more than " + units + " characters");
                return;
            }
            if (!last) {
                return;
            }
            frame = text.toString();
            text = null;
        }
        whole(frame);
    }

    private void whole(String frame) {
        if (!admit()) {
            return;
        }
        try {
            ClientMessage message = decoder.decode(frame);
            // Only a logged-in socket's requests count (the others are refused as not-logged-in).
            if (message instanceof ClientMessage.IceServers && switchboard.loggedIn(outbox) && !admitIceRefresh()) {
                return;
            }
            switchboard.dispatch(outbox, message);
        } catch (MessageDecoder.Rejected rejected) {
            switchboard.refuse(outbox, rejected.violation().code(), rejected.violation().getMessage());
        } catch (MessageDecoder.Oversized over) {
            tooBig(over.getMessage());
        } catch (DecodeException e) {
            switchboard.refuse(outbox, ErrorCode.INVALID_MESSAGE, e.getMessage());
        }
    }

    /** A part of a binary message: never accepted; only its size is counted, for the 1009 past the limit. */
    @OnMessage
    public void binary(ByteBuffer part, boolean last) {
        if (oversized) {
            return;
        }
        binaryBytes += part.remaining();
        if (binaryBytes > switchboard.settings().maxMessageBytes()) {
            // Over the limit is 1009 whatever the kind of frame.
            long bytes = binaryBytes;
            binaryBytes = 0;
            tooBig("binary frame of " + (last ? "" : "more than ") + bytes + " bytes");
            return;
        }
        if (!last) {
            return;
        }
        binaryBytes = 0;
        if (!admit()) {
            return;
        }
        switchboard.refuse(outbox, ErrorCode.BAD_FRAME, "binary frames are not accepted; send JSON text frames");
    }

    private void tooBig(String what) {
        oversized = true;
        LOG.log(Level.INFO, "socket {0}: {1}; closing with 1009", outbox.id(), what);
        switchboard.metrics().closed(Metrics.Close.TOO_BIG);
        outbox.close(CloseCodes.TOO_BIG.getCode(), "message too big");
    }

    @OnMessage
    public void pong(PongMessage pong) {
        outbox.heard();
    }

    @OnError
    public void error(Session session, Throwable failure) {
        // Transport trouble (reset connections, container-enforced limits): the close that follows cleans up.
        LOG.log(Level.INFO, "socket {0}: {1}", session.getId(), failure.toString());
    }

    @OnClose
    public void close(Session session, CloseReason reason) {
        if (outbox != null) {
            switchboard.closed(outbox, closeCode(reason, outbox.sendFailed()));
        }
        LOG.log(Level.DEBUG, "socket {0}: closed {1} {2}", session.getId(),
                reason.getCloseCode().getCode(), reason.getReasonPhrase());
    }

    /**
     * The close code as the rules need it: a connection that ended without a close handshake is a
     * drop (1006), owed the resume grace period, however the server found out. Two ways of finding
     * out report other codes: Tyrus's own close listener reports 1001 "Going away." when a write to
     * a vanished client fails (a browser's own 1001 carries no such reason phrase), and a send of
     * the outbox failed so that it closed the socket with 1011 itself ({@code sendFailed} and the
     * 1011 that went out). A client's own 1011 frees the name at once, as every close code but
     * 1001 and 1006 does; so does a client's close that a failed send merely raced (Undertow fails
     * a send to a socket whose close frame has arrived, and reports the client's code).
     */
    private static int closeCode(CloseReason reason, boolean sendFailed) {
        int code = reason.getCloseCode().getCode();
        boolean transportClosed = code == CloseCodes.GOING_AWAY.getCode()
                && TYRUS_TRANSPORT_CLOSED.equals(reason.getReasonPhrase());
        boolean closedForAFailedSend = sendFailed && code == CloseCodes.UNEXPECTED_CONDITION.getCode();
        if (transportClosed || closedForAFailedSend) {
            return CloseCodes.CLOSED_ABNORMALLY.getCode();
        }
        return code;
    }

    /**
     * Each {@code ice-servers} request mints TURN credentials: a client needs one before a call or
     * an ICE restart, not dozens a minute. Over the limit it is refused, never closed for it.
     */
    private boolean admitIceRefresh() {
        long now = System.nanoTime();
        if (iceRefreshes == null) {
            iceRefreshes = new RateLimiter(ICE_REFRESH_BURST, 1.0 / ICE_REFRESH_SECONDS, Long.MAX_VALUE, now);
        }
        if (iceRefreshes.check(now) == RateLimiter.Verdict.ALLOW) {
            return true;
        }
        switchboard.refuse(outbox, ErrorCode.RATE_LIMITED, "too many ice-servers requests: at most "
                + ICE_REFRESH_BURST + " at once, then one every " + ICE_REFRESH_SECONDS
                + " s; the servers you have are still good; this one was dropped");
        return false;
    }

    /** Count the message against the rate limit; false if it is to be dropped. */
    private boolean admit() {
        if (outbox.isClosed()) {
            return false;
        }
        outbox.heard();
        switch (rate.check(System.nanoTime())) {
            case ALLOW:
                return true;
            case REFUSE:
                switchboard.refuse(outbox, ErrorCode.RATE_LIMITED, "too many messages: at most "
                        + switchboard.settings().ratePerSecond() + " per second; this one was dropped");
                return false;
            default:
                LOG.log(Level.WARNING, "socket {0}: flooding for {1} s; closing with 1008", outbox.id(),
                        switchboard.settings().abuseSeconds());
                switchboard.metrics().closed(Metrics.Close.ABUSE);
                outbox.close(CloseCodes.VIOLATED_POLICY.getCode(), "too many messages");
                return false;
        }
    }
}
