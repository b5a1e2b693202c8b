package local.textchat.cluster;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import local.textchat.metrics.Metrics;

/** A {@link ClusterBus} that counts the envelopes it sends and receives in {@link Metrics}. */
final class MeteredBus implements ClusterBus {

    private final ClusterBus bus;
    private final Metrics metrics;

    MeteredBus(ClusterBus bus, Metrics metrics) {
        this.bus = bus;
        this.metrics = metrics;
    }

    @Override
    public void send(String node, Envelope envelope) {
        metrics.cluster(true);
        bus.send(node, envelope);
    }

    @Override
    public void start(Consumer<Envelope> inbox, Runnable connected) {
        bus.start(envelope -> {
            metrics.cluster(false);
            inbox.accept(envelope);
        }, connected);
    }

    @Override
    public String node() {
        return bus.node();
    }

    @Override
    public ClaimResult claim(Lease lease, String presentedTokenHash, boolean knewUsers) {
        return bus.claim(lease, presentedTokenHash, knewUsers);
    }

    @Override
    public Optional<Lease> holder(String key) {
        return bus.holder(key);
    }

    @Override
    public Renewal renew(Collection<Lease> leases, boolean knewUsers) {
        return bus.renew(leases, knewUsers);
    }

    @Override
    public void release(Lease lease) {
        bus.release(lease);
    }

    @Override
    public Set<String> dead(Set<String> nodes) {
        return bus.dead(nodes);
    }

    @Override
    public void bury(String node, Collection<Lease> leases) {
        bus.bury(node, leases);
    }

    @Override
    public boolean connected() {
        return bus.connected();
    }

    @Override
    public long leaseMillis() {
        return bus.leaseMillis();
    }

    @Override
    public void close() {
        bus.close();
    }
}
