package local.textchat.protocol;

import jakarta.websocket.Encoder;

/** The endpoint's encoder: a {@link ServerMessage} to its JSON text frame. */
public final class MessageEncoder implements Encoder.Text<ServerMessage> {

    @Override
    public String encode(ServerMessage message) {
        return Codec.encode(message);
    }
}
