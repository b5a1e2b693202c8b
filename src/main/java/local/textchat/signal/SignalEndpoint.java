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
import jakarta.websocket.server.ServerEndpoint;

import local.textchat.metrics.Metrics;
import local.textchat.policy.RateLimiter;
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
    private Outbox outbox;

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
        // Room for one frame over the limit, so that our own check (not the container's) answers it.
        int buffer = settings.maxMessageBytes() + 1;
        session.setMaxTextMessageBufferSize(buffer);
        session.setMaxBinaryMessageBufferSize(buffer);
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

    @OnMessage
    public void message(String frame) {
        if (!admit()) {
            return;
        }
        try {
            switchboard.dispatch(outbox, decoder.decode(frame));
        } catch (MessageDecoder.Rejected rejected) {
            switchboard.refuse(outbox, rejected.violation().code(), rejected.violation().getMessage());
        } catch (MessageDecoder.Oversized oversized) {
            LOG.log(Level.INFO, "socket {0}: {1}; closing with 1009", outbox.id(), oversized.getMessage());
            switchboard.metrics().closed(Metrics.Close.TOO_BIG);
            outbox.close(CloseCodes.TOO_BIG.getCode(), "message too big");
        } catch (DecodeException e) {
            switchboard.refuse(outbox, ErrorCode.INVALID_MESSAGE, e.getMessage());
        }
    }

    @OnMessage
    public void binary(ByteBuffer frame) {
        if (!admit()) {
            return;
        }
        if (frame.remaining() > switchboard.settings().maxMessageBytes()) {
            // Over the limit is 1009 whatever the kind of frame: Tyrus does not enforce the binary
            // buffer size that open() sets.
            LOG.log(Level.INFO, "socket {0}: binary frame of {1} bytes; closing with 1009", outbox.id(),
                    frame.remaining());
            switchboard.metrics().closed(Metrics.Close.TOO_BIG);
            outbox.close(CloseCodes.TOO_BIG.getCode(), "message too big");
            return;
        }
        switchboard.refuse(outbox, ErrorCode.BAD_FRAME, "binary frames are not accepted; send JSON text frames");
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
            switchboard.closed(outbox, closeCode(reason));
        }
        LOG.log(Level.DEBUG, "socket {0}: closed {1} {2}", session.getId(),
                reason.getCloseCode().getCode(), reason.getReasonPhrase());
    }

    /**
     * The close code as the rules need it: a connection that ended without a close handshake is a
     * drop (1006), owed the resume grace period, however the server found out. Two ways of finding
     * out report other codes: Tyrus's own close listener reports 1001 "Going away." when a write to
     * a vanished client fails (a browser's own 1001 carries no such reason phrase), and the outbox
     * closes with 1011 when a send fails.
     */
    private static int closeCode(CloseReason reason) {
        int code = reason.getCloseCode().getCode();
        boolean transportClosed = code == CloseCodes.GOING_AWAY.getCode()
                && TYRUS_TRANSPORT_CLOSED.equals(reason.getReasonPhrase());
        if (transportClosed || code == CloseCodes.UNEXPECTED_CONDITION.getCode()) {
            return CloseCodes.CLOSED_ABNORMALLY.getCode();
        }
        return code;
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
