package local.textchat.signal;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;

import jakarta.websocket.CloseReason;
import jakarta.websocket.DecodeException;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

import local.textchat.protocol.ErrorCode;
import local.textchat.protocol.MessageDecoder;
import local.textchat.protocol.MessageEncoder;

/**
 * The signaling socket: decode, dispatch, reply. One instance per connection; everything
 * shared lives in the {@link Switchboard} handed over by {@link SignalConfigurator}.
 */
@ServerEndpoint(value = "/signal", encoders = MessageEncoder.class, configurator = SignalConfigurator.class)
public class SignalEndpoint {

    private static final System.Logger LOG = System.getLogger(SignalEndpoint.class.getName());

    private final Switchboard switchboard;
    private final MessageDecoder decoder;
    private Outbox outbox;

    public SignalEndpoint(Switchboard switchboard) {
        this.switchboard = switchboard;
        this.decoder = new MessageDecoder(switchboard.settings().maxMessageBytes());
    }

    @OnOpen
    public void open(Session session) {
        // Room for one frame over the limit, so that our own check (not the container's) answers it.
        int buffer = switchboard.settings().maxMessageBytes() + 1;
        session.setMaxTextMessageBufferSize(buffer);
        session.setMaxBinaryMessageBufferSize(buffer);
        outbox = new Outbox(session, switchboard.settings().sendBacklog());
        LOG.log(Level.DEBUG, "socket {0}: open", session.getId());
    }

    @OnMessage
    public void message(String frame) {
        try {
            switchboard.dispatch(outbox, decoder.decode(frame));
        } catch (MessageDecoder.Rejected rejected) {
            switchboard.refuse(outbox, rejected.violation().code(), rejected.violation().getMessage());
        } catch (MessageDecoder.Oversized oversized) {
            LOG.log(Level.INFO, "socket {0}: {1}; closing with 1009", outbox.id(), oversized.getMessage());
            outbox.close(CloseReason.CloseCodes.TOO_BIG.getCode(), "message too big");
        } catch (DecodeException e) {
            switchboard.refuse(outbox, ErrorCode.INVALID_MESSAGE, e.getMessage());
        }
    }

    @OnMessage
    public void binary(ByteBuffer frame) {
        switchboard.refuse(outbox, ErrorCode.BAD_FRAME, "binary frames are not accepted; send JSON text frames");
    }

    @OnError
    public void error(Session session, Throwable failure) {
        // Transport trouble (reset connections, container-enforced limits): the close that follows cleans up.
        LOG.log(Level.INFO, "socket {0}: {1}", session.getId(), failure.toString());
    }

    @OnClose
    public void close(Session session, CloseReason reason) {
        if (outbox != null) {
            switchboard.disconnected(outbox);
        }
        LOG.log(Level.DEBUG, "socket {0}: closed {1} {2}", session.getId(),
                reason.getCloseCode().getCode(), reason.getReasonPhrase());
    }
}
