package local.textchat.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * A WebSocket client on a bare TCP socket, for what a well-behaved client library will not do:
 * send any Origin, vanish without a close handshake, or stop answering pings. Single-threaded:
 * frames are read only when the test asks.
 */
public final class RawClient implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final String statusLine;

    private RawClient(Socket socket, DataInputStream in, OutputStream out, String statusLine) {
        this.socket = socket;
        this.in = in;
        this.out = out;
        this.statusLine = statusLine;
    }

    /** Open a TCP connection and send the upgrade request, with {@code origin} if not null. */
    public static RawClient connect(URI uri, String origin) {
        try {
            Socket socket = new Socket(uri.getHost(), uri.getPort());
            socket.setSoTimeout((int) WsClient.TIMEOUT.toMillis());
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            StringBuilder request = new StringBuilder()
                    .append("GET ").append(uri.getRawPath()).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n")
                    .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                    .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(nonce)).append("\r\n")
                    .append("Sec-WebSocket-Version: 13\r\n");
            if (origin != null) {
                request.append("Origin: ").append(origin).append("\r\n");
            }
            request.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            String status = readHead(in);
            return new RawClient(socket, in, out, status);
        } catch (IOException e) {
            throw new IllegalStateException("raw connect to " + uri + " failed", e);
        }
    }

    /** The HTTP status code of the handshake response (101 when upgraded). */
    public int status() {
        return Integer.parseInt(statusLine.split(" ")[1]);
    }

    public void send(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift) & 0xff);
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        try {
            out.write(frame.toByteArray());
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException("raw send failed", e);
        }
    }

    /** The next text frame, parsed; pings are read and deliberately left unanswered. */
    public JsonObject nextText() {
        while (true) {
            Frame frame = readFrame();
            if (frame == null) {
                return fail("connection closed while waiting for a text frame");
            }
            if (frame.opcode == 0x1) {
                return Json.createReader(new StringReader(new String(frame.payload, StandardCharsets.UTF_8))).readObject();
            }
            if (frame.opcode == 0x8) {
                return fail("connection closed with " + frame.closeCode());
            }
        }
    }

    /** Log in and return the reply. */
    public JsonObject login(String name) {
        send("{\"type\":\"login\",\"name\":\"" + name + "\"}");
        return nextText();
    }

    /**
     * Read (without answering pings) until the server closes: its close code, or 1006 if the
     * connection ended without a close frame. Fails if nothing ends within {@code millis}.
     */
    public int awaitClose(long millis) {
        try {
            socket.setSoTimeout((int) millis);
            long deadline = System.currentTimeMillis() + millis;
            while (System.currentTimeMillis() < deadline) {
                Frame frame = readFrame();
                if (frame == null) {
                    return 1006;
                }
                if (frame.opcode == 0x8) {
                    return frame.closeCode();
                }
            }
        } catch (IOException e) {
            return 1006;
        }
        return fail("not closed within " + millis + " ms");
    }

    /** Vanish: close the TCP connection with no close handshake (the server sees 1006). */
    public void drop() {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            // gone anyway
        }
    }

    /**
     * Close cleanly: a close frame (1000), then the TCP connection, so that the server frees the
     * name at once instead of holding it for a resume (which would keep a shared deployment busy
     * for the grace period). Use {@link #drop()} to vanish.
     */
    @Override
    public void close() {
        if (!socket.isClosed() && status() == 101) {
            try {
                // FIN, close frame code 1000, masked with a zero key.
                out.write(new byte[] {(byte) 0x88, (byte) 0x82, 0, 0, 0, 0, 0x03, (byte) 0xe8});
                out.flush();
            } catch (IOException e) {
                // the server has closed already
            }
        }
        try {
            socket.close();
        } catch (IOException e) {
            // gone anyway
        }
    }

    private record Frame(int opcode, byte[] payload) {
        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
    }

    private Frame readFrame() {
        try {
            int b0 = in.read();
            if (b0 < 0) {
                return null;
            }
            int b1 = in.readUnsignedByte();
            long length = b1 & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            return new Frame(b0 & 0x0f, payload);
        } catch (SocketTimeoutException e) {
            return fail("no frame within the timeout");
        } catch (EOFException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = (b == '\r' || b == '\n') && (matched % 2 == 0) == (b == '\r') ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        int eol = text.indexOf("\r\n");
        return eol < 0 ? text : text.substring(0, eol);
    }
}
