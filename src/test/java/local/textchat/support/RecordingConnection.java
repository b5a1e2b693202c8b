package local.textchat.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import local.textchat.registry.Connection;

/** A connection that only remembers what it was sent, for tests of the registry and presence. */
public final class RecordingConnection implements Connection {

    private static final AtomicInteger IDS = new AtomicInteger();

    /** The frames sent to it, in order (the very String objects). */
    public final List<String> sent = new CopyOnWriteArrayList<>();
    private final String id = "c" + IDS.incrementAndGet();

    @Override
    public String id() {
        return id;
    }

    @Override
    public void send(String frame) {
        sent.add(frame);
    }

    @Override
    public void close(int code, String reason) {
    }
}
