package local.textchat.browser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.filterchain.TransportFilter;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;

/**
 * Sees every byte the test server receives and sends, right above the TCP transport and below
 * HTTP and Tyrus, and decodes the WebSocket frames in it (RFC 6455). Tests assert on what the
 * signaling server really carried, whatever the server itself chooses to log.
 */
final class WireRecorder implements AddOn {

    enum Direction { TO_SERVER, FROM_SERVER }

    /** One complete WebSocket message, or a frame the recorder could not read as text. */
    record Frame(int connection, Direction direction, int opcode, String text, boolean compressed) {
    }

    private final List<Frame> frames = new CopyOnWriteArrayList<>();
    private final Map<Connection<?>, Wire> wires = new ConcurrentHashMap<>();
    private final List<Connection<?>> order = new CopyOnWriteArrayList<>();

    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        builder.add(builder.indexOfType(TransportFilter.class) + 1, new Tap());
    }

    List<Frame> frames() {
        return List.copyOf(frames);
    }

    /** Text messages, both directions, in the order they crossed. */
    List<String> texts() {
        return frames.stream().filter(f -> f.text() != null).map(Frame::text).toList();
    }

    /** The open WebSocket connections whose first message contains {@code needle}. */
    List<Connection<?>> webSocketsWhoseFirstMessageContains(String needle) {
        List<Connection<?>> found = new ArrayList<>();
        for (Connection<?> connection : order) {
            int id = order.indexOf(connection);
            frames.stream()
                    .filter(f -> f.connection() == id && f.direction() == Direction.TO_SERVER && f.text() != null)
                    .findFirst()
                    .filter(first -> first.text().contains(needle) && connection.isOpen())
                    .ifPresent(first -> found.add(connection));
        }
        return found;
    }

    private final class Tap extends BaseFilter {
        @Override
        public NextAction handleRead(FilterChainContext ctx) throws IOException {
            observe(ctx, Direction.TO_SERVER);
            return ctx.getInvokeAction();
        }

        @Override
        public NextAction handleWrite(FilterChainContext ctx) throws IOException {
            observe(ctx, Direction.FROM_SERVER);
            return ctx.getInvokeAction();
        }

        private void observe(FilterChainContext ctx, Direction direction) {
            if (!(ctx.getMessage() instanceof Buffer buffer)) {
                return; // a file sent by sendfile(): static content, never WebSocket
            }
            byte[] bytes = new byte[buffer.remaining()];
            int position = buffer.position();
            buffer.get(bytes);
            buffer.position(position);
            Connection<?> connection = ctx.getConnection();
            Wire wire = wires.computeIfAbsent(connection, c -> {
                order.add(c);
                return new Wire(order.indexOf(c));
            });
            wire.take(direction, bytes);
        }
    }

    /** One TCP connection: HTTP until an upgrade to WebSocket, frames after it. */
    private final class Wire {
        private final int id;
        private final Stream in = new Stream(Direction.TO_SERVER);
        private final Stream out = new Stream(Direction.FROM_SERVER);
        private volatile boolean upgraded;

        Wire(int id) {
            this.id = id;
        }

        synchronized void take(Direction direction, byte[] bytes) {
            (direction == Direction.TO_SERVER ? in : out).take(bytes);
        }

        private final class Stream {
            private final Direction direction;
            private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
            private final ByteArrayOutputStream message = new ByteArrayOutputStream();
            private boolean inFrames;
            private int messageOpcode;
            private boolean messageCompressed;

            Stream(Direction direction) {
                this.direction = direction;
            }

            void take(byte[] bytes) {
                if (direction == Direction.FROM_SERVER && !upgraded) {
                    return; // HTTP responses: static files and handshake refusals
                }
                pending.writeBytes(bytes);
                byte[] data = pending.toByteArray();
                int consumed = inFrames ? frames(data) : headers(data);
                pending.reset();
                pending.write(data, consumed, data.length - consumed);
            }

            /** Skips one HTTP header block; returns the bytes consumed. */
            private int headers(byte[] data) {
                int end = indexOf(data, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                if (end < 0) {
                    return 0;
                }
                String head = new String(data, 0, end, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
                if (direction == Direction.TO_SERVER) {
                    if (head.contains("\nupgrade: websocket")) {
                        upgraded = true;
                        inFrames = true;
                    }
                } else {
                    inFrames = head.startsWith("http/1.1 101");
                }
                int consumed = end + 4;
                if (!inFrames && data.length > consumed) {
                    return consumed + headers(Arrays.copyOfRange(data, consumed, data.length));
                }
                return inFrames ? consumed + frames(Arrays.copyOfRange(data, consumed, data.length)) : consumed;
            }

            /** Decodes whole frames; returns the bytes consumed. */
            private int frames(byte[] data) {
                int at = 0;
                while (true) {
                    if (data.length - at < 2) {
                        return at;
                    }
                    int b0 = data[at] & 0xff;
                    int b1 = data[at + 1] & 0xff;
                    boolean fin = (b0 & 0x80) != 0;
                    boolean rsv1 = (b0 & 0x40) != 0;
                    int opcode = b0 & 0x0f;
                    boolean masked = (b1 & 0x80) != 0;
                    long length = b1 & 0x7f;
                    int header = 2;
                    if (length == 126) {
                        if (data.length - at < 4) {
                            return at;
                        }
                        length = ((data[at + 2] & 0xff) << 8) | (data[at + 3] & 0xff);
                        header = 4;
                    } else if (length == 127) {
                        if (data.length - at < 10) {
                            return at;
                        }
                        length = 0;
                        for (int i = 0; i < 8; i++) {
                            length = (length << 8) | (data[at + 2 + i] & 0xff);
                        }
                        header = 10;
                    }
                    int maskAt = at + header;
                    if (masked) {
                        header += 4;
                    }
                    if (data.length - at - header < length) {
                        return at;
                    }
                    byte[] payload = new byte[(int) length];
                    for (int i = 0; i < length; i++) {
                        byte b = data[at + header + i];
                        payload[i] = masked ? (byte) (b ^ data[maskAt + (i % 4)]) : b;
                    }
                    at += header + (int) length;
                    if (opcode >= 0x8) {
                        if (opcode == 0x8) {
                            frames.add(new Frame(id, direction, opcode, null, false));
                        }
                        continue; // close, ping, pong: control frames, never chat
                    }
                    if (opcode != 0) {
                        messageOpcode = opcode;
                        messageCompressed = rsv1;
                        message.reset();
                    }
                    message.writeBytes(payload);
                    if (fin) {
                        String text = messageOpcode == 1 && !messageCompressed
                                ? message.toString(StandardCharsets.UTF_8) : null;
                        frames.add(new Frame(id, direction, messageOpcode, text, messageCompressed));
                        message.reset();
                    }
                }
            }
        }
    }

    private static int indexOf(byte[] data, byte[] needle) {
        outer:
        for (int i = 0; i <= data.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
