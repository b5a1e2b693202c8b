package local.textchat.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The load generator's WebSocket client (RFC 6455, text frames only): as little work per frame
 * as a client can do, so that the machine's two cores go to the server being measured and not to
 * the client. One thread reads every socket (a {@link Selector}); a frame sent from that thread
 * (the closed loop answers each arrival at once) is written with the other frames produced by the
 * same wake-up, in one write per socket, as a browser's network stack would batch them; a frame
 * sent from another thread is written at once. Frames are masked with a random key, as a client's
 * must be. The JDK's own WebSocket client spent about as much CPU per relay as the server did.
 */
final class BenchSocket {

    private static final Loop LOOP = new Loop();

    private final SocketChannel channel;
    private final Consumer<String> onText;
    /** Bytes read and not yet a whole frame; grows for a longer frame. */
    private ByteBuffer in = ByteBuffer.allocate(4096);
    /** Frames waiting to be written, in write mode; guarded by this. */
    private ByteBuffer out = ByteBuffer.allocate(1024);
    /** The text of a fragmented message being put together; null between messages. */
    private StringBuilder fragments;
    private SelectionKey key;
    private boolean dirty;

    private BenchSocket(SocketChannel channel, Consumer<String> onText) {
        this.channel = channel;
        this.onText = onText;
    }

    /** Connect and upgrade (blocking), then hand the socket to the reading thread. */
    static BenchSocket open(URI url, Consumer<String> onText) throws IOException {
        SocketChannel channel = SocketChannel.open(new InetSocketAddress(url.getHost(), url.getPort()));
        channel.socket().setTcpNoDelay(true);
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String request = "GET " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        ByteBuffer req = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
        while (req.hasRemaining()) {
            channel.write(req);
        }
        BenchSocket socket = new BenchSocket(channel, onText);
        // Read the response head; what follows it is frames.
        ByteBuffer head = ByteBuffer.allocate(4096);
        while (!endsHead(head)) {
            if (!head.hasRemaining() || channel.read(head) < 0) {
                throw new IOException("no upgrade from " + url);
            }
        }
        int headLength = headLength(head);
        String response = new String(head.array(), 0, headLength, StandardCharsets.US_ASCII);
        if (!response.startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused by " + url + ": " + response.lines().findFirst().orElse(""));
        }
        head.flip().position(headLength);
        socket.in.put(head);
        channel.configureBlocking(false);
        LOOP.register(socket);
        return socket;
    }

    private static boolean endsHead(ByteBuffer head) {
        return headLength(head) > 0;
    }

    /** The length of the response head including its blank line, or 0 while incomplete. */
    private static int headLength(ByteBuffer head) {
        byte[] b = head.array();
        for (int i = 3; i < head.position(); i++) {
            if (b[i - 3] == '\r' && b[i - 2] == '\n' && b[i - 1] == '\r' && b[i] == '\n') {
                return i + 1;
            }
        }
        return 0;
    }

    /** Send one text frame: batched with the others of this wake-up on the reading thread, at once elsewhere. */
    void send(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            frame(0x81, payload);
            if (Thread.currentThread() == LOOP.thread) {
                if (!dirty) {
                    dirty = true;
                    LOOP.dirty.add(this);
                }
                return;
            }
            flush();
        }
    }

    /** A masked frame into {@code out}. */
    private void frame(int first, byte[] payload) {
        int length = payload.length;
        ensureOut(14 + length);
        out.put((byte) first);
        if (length < 126) {
            out.put((byte) (0x80 | length));
        } else if (length < 65536) {
            out.put((byte) (0x80 | 126)).putShort((short) length);
        } else {
            out.put((byte) (0x80 | 127)).putLong(length);
        }
        int mask = ThreadLocalRandom.current().nextInt();
        out.putInt(mask);
        byte[] m = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
        for (int i = 0; i < length; i++) {
            out.put((byte) (payload[i] ^ m[i & 3]));
        }
    }

    private void ensureOut(int more) {
        if (out.remaining() < more) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + more));
            out.flip();
            bigger.put(out);
            out = bigger;
        }
    }

    /** Write what is queued; what the socket does not take waits for OP_WRITE. Holds this. */
    private void flush() {
        dirty = false;
        out.flip();
        try {
            channel.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            out.compact();
        }
        if (key != null) {
            int ops = out.position() > 0 ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
            if (key.interestOps() != ops) {
                key.interestOps(ops);
                LOOP.selector.wakeup();
            }
        }
    }

    /** On the reading thread: read what arrived, hand over each whole text message. */
    private void readable() throws IOException {
        if (!in.hasRemaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
            in.flip();
            in = bigger.put(in);
        }
        if (channel.read(in) < 0) {
            key.cancel();
            channel.close();
            return;
        }
        in.flip();
        while (true) {
            int start = in.position();
            if (in.remaining() < 2) {
                break;
            }
            int first = in.get() & 0xff;
            int second = in.get() & 0xff;
            long length = second & 0x7f;
            if (length == 126) {
                if (in.remaining() < 2) {
                    in.position(start);
                    break;
                }
                length = in.getShort() & 0xffff;
            } else if (length == 127) {
                if (in.remaining() < 8) {
                    in.position(start);
                    break;
                }
                length = in.getLong();
            }
            if (in.remaining() < length) {
                in.position(start);
                if (in.capacity() < length + 14) {
                    // Make room for the whole frame.
                    ByteBuffer bigger = ByteBuffer.allocate((int) length + 14);
                    bigger.put(in);
                    in = bigger;
                    return;
                }
                break;
            }
            String text = new String(in.array(), in.position(), (int) length, StandardCharsets.UTF_8);
            in.position(in.position() + (int) length);
            message(first, text);
        }
        in.compact();
    }

    private void message(int first, String payload) {
        int opcode = first & 0x0f;
        boolean fin = (first & 0x80) != 0;
        switch (opcode) {
            case 0x1, 0x0 -> {
                if (fin && fragments == null) {
                    onText.accept(payload);
                    return;
                }
                if (fragments == null) {
                    fragments = new StringBuilder();
                }
                fragments.append(payload);
                if (fin) {
                    String whole = fragments.toString();
                    fragments = null;
                    onText.accept(whole);
                }
            }
            case 0x9 -> {
                synchronized (this) {
                    frame(0x8A, payload.getBytes(StandardCharsets.UTF_8));
                    flush();
                }
            }
            default -> { } // pong, binary, close: nothing to do for the benchmark
        }
    }

    /** The one thread that reads every socket and writes what its callbacks sent. */
    private static final class Loop implements Runnable {
        final Selector selector;
        final Thread thread;
        final Queue<BenchSocket> pending = new ConcurrentLinkedQueue<>();
        final ArrayDeque<BenchSocket> dirty = new ArrayDeque<>();

        Loop() {
            try {
                selector = Selector.open();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            thread = new Thread(this, "loadgen-io");
            thread.setDaemon(true);
            thread.start();
        }

        void register(BenchSocket socket) {
            pending.add(socket);
            selector.wakeup();
        }

        @Override
        public void run() {
            try {
                while (true) {
                    selector.select();
                    for (BenchSocket socket; (socket = pending.poll()) != null; ) {
                        synchronized (socket) {
                            socket.key = socket.channel.register(selector,
                                    socket.out.position() > 0 ? SelectionKey.OP_READ | SelectionKey.OP_WRITE
                                            : SelectionKey.OP_READ, socket);
                        }
                        if (socket.in.position() > 0) {
                            socket.readable();
                        }
                    }
                    Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                    while (keys.hasNext()) {
                        SelectionKey key = keys.next();
                        keys.remove();
                        BenchSocket socket = (BenchSocket) key.attachment();
                        try {
                            if (key.isValid() && key.isReadable()) {
                                socket.readable();
                            }
                            if (key.isValid() && key.isWritable()) {
                                synchronized (socket) {
                                    socket.flush();
                                }
                            }
                        } catch (IOException | UncheckedIOException e) {
                            key.cancel(); // the server went away: this socket is done
                            socket.channel.close();
                        }
                    }
                    for (BenchSocket socket; (socket = dirty.poll()) != null; ) {
                        synchronized (socket) {
                            try {
                                socket.flush();
                            } catch (UncheckedIOException e) {
                                socket.key.cancel();
                                socket.channel.close();
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
