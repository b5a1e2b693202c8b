package local.textchat.cluster;

import local.textchat.registry.Connection;

/** How a message reaches a user whose socket is on another node: through that node's inbox. */
final class RemoteConnection implements Connection {

    private final ClusterBus bus;
    private final String node;
    private final String user;

    RemoteConnection(ClusterBus bus, String node, String user) {
        this.bus = bus;
        this.node = node;
        this.user = user;
    }

    /** The node the user's socket is on. */
    String node() {
        return node;
    }

    @Override
    public String id() {
        return node + "/" + user;
    }

    @Override
    public void send(String frame) {
        bus.send(node, new Envelope.Deliver(user, frame, false));
    }

    /** Its node closes it, if ever; nothing to do from here. */
    @Override
    public void close(int code, String reason) {
    }

    @Override
    public boolean local() {
        return false;
    }
}
