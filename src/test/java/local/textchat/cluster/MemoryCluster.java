package local.textchat.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import local.textchat.registry.Registry;

/**
 * The cluster's shared store and bus in memory, for tests that need to control the link of each
 * node exactly: a node's link can be {@linkplain Link#cut cut} and {@linkplain Link#heal healed}
 * at a chosen moment, with no network and no Redis in between. The rules are those of the Redis
 * store ({@code cluster.redis.RedisBus}): names and node liveness expire one lease after their last
 * renewal, a claim takes a free name or resumes its holder with the right token hash, a buried node
 * finds its tombstone when it renews. Each node's inbox is delivered in order on a thread of its own,
 * as Redis pub/sub delivers on Lettuce's event loop. (What only a real Redis can show, a restart
 * that loses its data, stays with the real-Redis tests.)
 */
final class MemoryCluster implements AutoCloseable {

    private record Entry(Object value, long expiresAt) {
    }

    private final long leaseMillis;
    private final Map<String, Entry> names = new HashMap<>();
    private final Map<String, Long> liveness = new HashMap<>();
    private final Set<String> tombstones = new HashSet<>();
    private final List<Link> links = new ArrayList<>();
    private int nodes;

    MemoryCluster(long leaseMillis) {
        this.leaseMillis = leaseMillis;
    }

    /** A new node's link to this cluster. */
    synchronized Link link() {
        Link link = new Link(String.format("mem%02d", ++nodes));
        links.add(link);
        return link;
    }

    @Override
    public synchronized void close() {
        links.forEach(Link::close);
    }

    private static long now() {
        return System.nanoTime() / 1_000_000;
    }

    private ClusterBus.Lease live(String key) {
        Entry entry = names.get(key);
        if (entry == null || entry.expiresAt() <= now()) {
            names.remove(key);
            return null;
        }
        return (ClusterBus.Lease) entry.value();
    }

    private static boolean sameOwner(ClusterBus.Lease a, ClusterBus.Lease b) {
        return a.user().equals(b.user()) && a.node().equals(b.node());
    }

    /** One node's view of the store and the bus. */
    final class Link implements ClusterBus {

        private final String node;
        private final ExecutorService inboxThread;
        private volatile Consumer<Envelope> inbox;
        private volatile Runnable connected;
        private volatile boolean up = true;
        private volatile boolean closed;

        private Link(String node) {
            this.node = node;
            this.inboxThread = Executors.newSingleThreadExecutor(r -> {
                Thread thread = new Thread(r, "memory-bus-" + node);
                thread.setDaemon(true);
                return thread;
            });
        }

        /** From now on this node cannot reach the store: its calls fail, its messages are lost, nothing reaches it. */
        void cut() {
            up = false;
        }

        /** The link is back: the node is told, as a reconnected Redis client would tell it. */
        void heal() {
            up = true;
            inboxThread.execute(connected);
        }

        /**
         * Hold back everything sent to this node from now on (delivered in order once the
         * returned action runs), as a slow subscriber would; the node's own calls still work.
         */
        Runnable hold() {
            CountDownLatch gate = new CountDownLatch(1);
            inboxThread.execute(() -> {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            return gate::countDown;
        }

        @Override
        public String node() {
            return node;
        }

        @Override
        public void start(Consumer<Envelope> inbox, Runnable connected) {
            this.inbox = inbox;
            this.connected = connected;
            inboxThread.execute(connected);
        }

        @Override
        public ClaimResult claim(Lease lease, String presentedTokenHash, boolean knewUsers) {
            synchronized (MemoryCluster.this) {
                reachable();
                Lease current = live(lease.key());
                if (current == null) {
                    names.put(lease.key(), new Entry(lease, now() + leaseMillis));
                    return new ClaimResult(Outcome.CLAIMED, null);
                }
                if (presentedTokenHash != null && presentedTokenHash.equals(current.tokenHash())) {
                    Lease moved = new Lease(current.key(), current.user(), node, lease.tokenHash(), current.name());
                    names.put(lease.key(), new Entry(moved, now() + leaseMillis));
                    return new ClaimResult(Outcome.RESUMED, current);
                }
                return new ClaimResult(Outcome.TAKEN, current);
            }
        }

        @Override
        public Optional<Lease> holder(String key) {
            synchronized (MemoryCluster.this) {
                reachable();
                return Optional.ofNullable(live(key));
            }
        }

        @Override
        public Renewal renew(Collection<Lease> leases, boolean knewUsers) {
            synchronized (MemoryCluster.this) {
                reachable();
                boolean buried = tombstones.remove(node);
                liveness.put(node, now() + leaseMillis);
                List<Lease> lost = new ArrayList<>();
                for (Lease lease : leases) {
                    Lease current = live(lease.key());
                    if (current == null || sameOwner(current, lease)) {
                        names.put(lease.key(), new Entry(lease, now() + leaseMillis));
                    } else {
                        lost.add(lease);
                    }
                }
                return new Renewal(lost, buried);
            }
        }

        @Override
        public void release(Lease lease) {
            synchronized (MemoryCluster.this) {
                if (!up || closed) {
                    return;
                }
                Lease current = live(lease.key());
                if (current != null && sameOwner(current, lease)) {
                    names.remove(lease.key());
                }
            }
        }

        @Override
        public Set<String> dead(Set<String> of) {
            synchronized (MemoryCluster.this) {
                reachable();
                Set<String> dead = new HashSet<>();
                for (String other : of) {
                    Long until = liveness.get(other);
                    if (until == null || until <= now()) {
                        dead.add(other);
                    }
                }
                return dead;
            }
        }

        @Override
        public void bury(String deadNode, Collection<Lease> leases) {
            synchronized (MemoryCluster.this) {
                reachable();
                tombstones.add(deadNode);
                for (Lease lease : leases) {
                    Lease current = live(lease.key());
                    if (current != null && sameOwner(current, lease)) {
                        names.remove(lease.key());
                    }
                }
            }
        }

        @Override
        public void send(String toNode, Envelope envelope) {
            if (!up || closed) {
                return;
            }
            List<Link> receivers = new ArrayList<>();
            synchronized (MemoryCluster.this) {
                for (Link link : links) {
                    if (link != this && link.up && !link.closed && (toNode == null || link.node.equals(toNode))) {
                        receivers.add(link);
                    }
                }
            }
            receivers.forEach(link -> link.deliver(envelope));
        }

        private void deliver(Envelope envelope) {
            inboxThread.execute(() -> {
                if (up && !closed) {
                    inbox.accept(envelope);
                }
            });
        }

        @Override
        public boolean connected() {
            return up && !closed;
        }

        @Override
        public long leaseMillis() {
            return leaseMillis;
        }

        @Override
        public void close() {
            closed = true;
            inboxThread.shutdown();
            try {
                inboxThread.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void reachable() {
            if (!up || closed) {
                throw new Registry.Unavailable("node " + node + " is cut off from the in-memory store", null);
            }
        }
    }
}
