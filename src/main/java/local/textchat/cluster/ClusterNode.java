package local.textchat.cluster;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import local.textchat.cluster.ClusterBus.ClaimResult;
import local.textchat.cluster.ClusterBus.Lease;
import local.textchat.cluster.ClusterBus.Renewal;
import local.textchat.cluster.Envelope.Member;
import local.textchat.protocol.Names;
import local.textchat.protocol.Relay;
import local.textchat.protocol.ServerMessage;
import local.textchat.registry.Claim;
import local.textchat.registry.Connection;
import local.textchat.registry.Departure;
import local.textchat.registry.NameStore;
import local.textchat.registry.Registry;
import local.textchat.registry.Registry.Events;
import local.textchat.registry.Tokens;
import local.textchat.registry.User;
import local.textchat.registry.Users;

/**
 * One node of a cluster, as the {@link NameStore} of its registry. Who holds which name is decided
 * by the shared store ({@link ClusterBus#claim}, atomic across nodes); everything else is this
 * node's own view in its {@link Users}, kept current by what the other nodes send: who is online
 * where (users on other nodes have a {@link RemoteConnection}), and the calls of this node's
 * users. A call between users on two nodes is known to both, each side kept by its own node; the
 * offer, leave and decline that start and end it travel between them like any relayed message.
 *
 * <p>So a relay between two users of this node never leaves it, and one to a user elsewhere is
 * one publish to that user's node. Presence costs one broadcast per login or departure; each node
 * tells its own users. A node renews its lease (liveness and held names) every third of
 * {@link ClusterBus#leaseMillis}; one that stops is taken for dead by the others once the lease
 * has lapsed (checked every second), and its users are gone: their peers get {@code leave}.
 */
public final class ClusterNode implements NameStore {

    private static final System.Logger LOG = System.getLogger(ClusterNode.class.getName());
    /** How long a resume on this node waits for the old node to hand over the user's calls. */
    private static final long HANDOFF_WAIT_MILLIS = 2000;
    /** How often the liveness of the nodes that this node's users have calls with is checked. */
    private static final long DEATH_CHECK_MILLIS = 1000;

    /** A resume on this node of a user whose socket was on another node, waiting for the handoff. */
    private record PendingResume(Lease previous, Connection connection, String token, CompletableFuture<User> done) {
    }

    private final ClusterBus bus;
    private final Users users;
    private final String node;
    private final ConcurrentMap<String, PendingResume> resuming = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer;
    private final int maxUsers;
    private volatile Events events = Events.NONE;
    /** When the link to the store last came up (System.nanoTime), or -1 while it is down. */
    private volatile long upSince = -1;

    public ClusterNode(ClusterBus bus, Users users, int maxUsers) {
        this.bus = bus;
        this.users = users;
        this.node = bus.node();
        this.maxUsers = maxUsers;
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "textchat-cluster-" + node);
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    /** Join the cluster: listen, and renew this node's lease from now on. */
    public ClusterNode start() {
        long renewMillis = Math.max(200, bus.leaseMillis() / 3);
        timer.scheduleWithFixedDelay(this::renew, renewMillis, renewMillis, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::buryTheDead, DEATH_CHECK_MILLIS, DEATH_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        bus.start(this::receive, () -> timer.execute(this::rejoin));
        return this;
    }

    /** This node's id in the cluster. */
    public String id() {
        return node;
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public boolean reachable() {
        return bus.connected();
    }

    @Override
    public void listen(Events events) {
        this.events = events;
    }

    @Override
    public Claim claim(String name, String key, Connection connection, String token) {
        Claim decided = users.atomically(() -> {
            // Held on this node: decided here, as on a single node (the store learns the new token at the next renewal).
            Claim here = users.decideHere(key, connection, token);
            if (here instanceof Claim.Resumed resumed) {
                timer.execute(() -> renew(List.of(lease(resumed.user()))));
            }
            if (here == null && users.withKey(key).isEmpty() && users.size() >= maxUsers) {
                return new Claim.Full();
            }
            return here;
        });
        if (decided != null) {
            return decided;
        }
        String newToken = Tokens.next();
        Lease lease = new Lease(key, Tokens.next(), node, Tokens.hash(newToken), name);
        ClaimResult result;
        try {
            result = bus.claim(lease, token == null ? null : Tokens.hash(token), !users.everyone().isEmpty());
        } catch (Registry.Unavailable e) {
            // It may have timed out after taking the name: free it if so (its id is new, nobody else's).
            bus.release(lease);
            throw e;
        }
        switch (result.outcome()) {
            case CLAIMED:
                return claimed(lease, connection, newToken);
            case RESUMED:
                return resumed(result.previous(), connection, newToken);
            default:
                return new Claim.Taken();
        }
    }

    @Override
    public Optional<User> reach(String key) {
        // Not in this node's view (yet): a login on another node is answered before its broadcast
        // arrives here, and its user may already be called by name. The store knows.
        try {
            Optional<Lease> holder = bus.holder(key);
            if (holder.isEmpty() || holder.get().node().equals(node)) {
                return users.withKey(key);
            }
            Lease lease = holder.get();
            return Optional.of(known(new Member(lease.user(), lease.node(), lease.name())));
        } catch (Registry.Unavailable e) {
            return Optional.empty();
        }
    }

    @Override
    public void forward(User from, User to, Relay relay) {
        bus.send(nodeOf(to), new Envelope.Relay(member(from), to.id(), relay, false));
    }

    /** A user of this node left for good: free its name everywhere. */
    @Override
    public void released(User user) {
        // Left before the name is freed: whoever finds it free has already been sent the Left.
        bus.send(null, new Envelope.Left(member(user)));
        bus.release(lease(user));
    }

    @Override
    public void close() {
        users.atomically(() -> {
            for (User user : users.everyone()) {
                if (!user.remote()) {
                    bus.release(lease(user));
                }
            }
            bus.send(null, new Envelope.Bye(node));
        });
        timer.shutdownNow();
        bus.close();
        LOG.log(Level.INFO, "cluster node {0}: left the cluster", node);
    }

    // ---- claims

    private Claim claimed(Lease lease, Connection connection, String token) {
        List<Departure> stale = new ArrayList<>();
        Claim.Claimed claim = users.atomically(() -> {
            // The store says the name was free, so whoever this node still thinks holds it has gone.
            stale.addAll(dropStale(lease.key(), null));
            User claimed = users.add(lease.user(), lease.name(), lease.key(), connection, token);
            bus.send(null, new Envelope.Joined(member(claimed)));
            return new Claim.Claimed(claimed);
        });
        stale.forEach(events::departed);
        return claim;
    }

    private Claim resumed(Lease previous, Connection connection, String token) {
        if (previous.node().equals(node)) {
            Claim.Resumed here = users.atomically(() -> users.withId(previous.user())
                    .filter(holder -> !holder.remote())
                    .map(holder -> users.resume(holder, connection, token))
                    .orElse(null));
            if (here != null) {
                return here;
            }
        }
        // The user's socket is (or was) on another node: ask that node for the user's calls.
        PendingResume pending = new PendingResume(previous, connection, token, new CompletableFuture<>());
        // Under the lock rosters are made and sent under: a roster that goes out after this
        // Takeover lists the user (see roster()), one that went out before it arrives first.
        users.atomically(() -> {
            resuming.put(previous.user(), pending);
            bus.send(previous.node(), new Envelope.Takeover(previous.user(), node));
            return null;
        });
        User user;
        try {
            user = pending.done().get(HANDOFF_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.log(Level.INFO, "cluster node {0}: node {1} did not hand over \"{2}\" within {3} ms; resuming without its calls",
                    node, previous.node(), previous.name(), HANDOFF_WAIT_MILLIS);
            completeResume(previous.user(), List.of());
            user = pending.done().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            completeResume(previous.user(), List.of());
            user = pending.done().join();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        return new Claim.Resumed(user, new RemoteConnection(bus, previous.node(), previous.user()));
    }

    /** Install the user of a cross-node resume, with the calls its old node handed over. */
    private void completeResume(String userId, List<Member> peers) {
        PendingResume pending = resuming.remove(userId);
        if (pending == null) {
            // Handed over after we gave up waiting: still worth keeping its calls.
            users.atomically(() -> users.withId(userId).filter(user -> !user.remote())
                    .ifPresent(user -> linkAll(user, peers)));
            return;
        }
        Lease previous = pending.previous();
        List<Departure> stale = new ArrayList<>();
        User user = users.atomically(() -> {
            User resumed = users.withId(userId).orElse(null);
            stale.addAll(dropStale(previous.key(), resumed));
            if (resumed == null) {
                resumed = users.add(userId, previous.name(), previous.key(), pending.connection(), pending.token());
            } else {
                users.move(resumed, pending.connection(), pending.token());
                users.holdKey(resumed);
            }
            linkAll(resumed, peers);
            bus.send(null, new Envelope.Moved(member(resumed)));
            return resumed;
        });
        stale.forEach(events::departed);
        pending.done().complete(user);
    }

    private void linkAll(User user, List<Member> peers) {
        for (Member m : peers) {
            users.withId(m.id()).filter(peer -> peer != user).ifPresent(peer -> users.pair(user, peer));
        }
    }

    // ---- what other nodes tell this one

    private void receive(Envelope envelope) {
        try {
            if (envelope instanceof Envelope.Relay relay) {
                received(relay);
            } else if (envelope instanceof Envelope.Deliver deliver) {
                received(deliver);
            } else if (envelope instanceof Envelope.Joined joined) {
                known(joined.user());
            } else if (envelope instanceof Envelope.Moved moved) {
                known(moved.user());
            } else if (envelope instanceof Envelope.Left left) {
                gone(left.user());
            } else if (envelope instanceof Envelope.Takeover takeover) {
                handOver(takeover);
            } else if (envelope instanceof Envelope.Handoff handoff) {
                completeResume(handoff.user(), handoff.peers());
            } else if (envelope instanceof Envelope.Hello) {
                users.atomically(() -> bus.send(null, roster()));
            } else if (envelope instanceof Envelope.Roster roster) {
                reconcile(roster);
            } else if (envelope instanceof Envelope.Bye bye) {
                LOG.log(Level.INFO, "cluster node {0}: node {1} left the cluster", node, bye.node());
                departAll(bye.node());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cluster node " + node + ": could not apply " + envelope.getClass().getSimpleName(), e);
        }
    }

    private void received(Envelope.Relay relay) {
        User to = users.withId(relay.to()).orElse(null);
        if (to == null) {
            LOG.log(Level.DEBUG, "cluster node {0}: {1} from \"{2}\" for a user who has gone; dropped", node,
                    relay.relay().kind(), relay.from().name());
        } else if (to.remote()) {
            // The user resumed on another node since the sender looked: pass it on, once.
            if (!relay.forwarded()) {
                bus.send(nodeOf(to), new Envelope.Relay(relay.from(), relay.to(), relay.relay(), true));
            }
        } else {
            events.relayed(known(relay.from()), to, relay.relay());
        }
    }

    private void received(Envelope.Deliver deliver) {
        User to = users.withId(deliver.to()).orElse(null);
        if (to == null) {
            return;
        }
        if (to.remote()) {
            if (!deliver.forwarded()) {
                bus.send(nodeOf(to), new Envelope.Deliver(deliver.to(), deliver.frame(), true));
            }
        } else {
            to.send(deliver.frame());
        }
    }

    /** {@code m} is online on {@code m.node()}: the user as this node knows it, added (and announced) if new. */
    private User known(Member m) {
        User user = users.withId(m.id()).orElse(null);
        if (user != null && user.remote() && nodeOf(user).equals(m.node())) {
            return user;
        }
        List<Departure> stale = new ArrayList<>();
        boolean[] fresh = new boolean[1];
        user = users.atomically(() -> {
            User current = users.withId(m.id()).orElse(null);
            if (current != null && !current.remote()) {
                // Told that a user of ours lives elsewhere: only a handover moves one, and that came first.
                return current;
            }
            stale.addAll(dropStale(current == null ? Names.key(m.name()) : current.key(), current));
            RemoteConnection where = new RemoteConnection(bus, m.node(), m.id());
            if (current == null) {
                fresh[0] = true;
                return users.add(m.id(), m.name(), Names.key(m.name()), where, null);
            }
            users.move(current, where, null);
            users.holdKey(current);
            return current;
        });
        stale.forEach(events::departed);
        if (fresh[0]) {
            events.joined(user);
        }
        return user;
    }

    /** {@code m} went away from its node. */
    private void gone(Member m) {
        Departure departure = users.atomically(() -> users.withId(m.id())
                .filter(user -> user.remote() && nodeOf(user).equals(m.node()))
                .map(users::remove)
                .orElse(null));
        if (departure != null) {
            events.departed(departure);
        }
    }

    /** A user of this node resumed on another node: hand it over, keeping it here as a user of that node. */
    private void handOver(Envelope.Takeover takeover) {
        Connection[] previous = new Connection[1];
        User user = users.atomically(() -> {
            User moving = users.withId(takeover.user()).orElse(null);
            if (moving == null || moving.remote()) {
                bus.send(takeover.newNode(), new Envelope.Handoff(takeover.user(), List.of()));
                return null;
            }
            previous[0] = moving.connection();
            List<Member> peers = users.peersOf(moving).stream().map(this::member).toList();
            users.move(moving, new RemoteConnection(bus, takeover.newNode(), moving.id()), null);
            // This node keeps only calls that one of its own users is in.
            for (User peer : users.peersOf(moving)) {
                if (peer.remote()) {
                    users.unpair(moving, peer);
                }
            }
            bus.send(takeover.newNode(), new Envelope.Handoff(moving.id(), peers));
            return moving;
        });
        if (user == null) {
            return;
        }
        LOG.log(Level.INFO, "cluster node {0}: \"{1}\" resumed on node {2}", node, user.name(), takeover.newNode());
        events.resumedElsewhere(user, previous[0]);
    }

    /** {@code roster} lists every user of its node: whoever else this node thought was there has gone. */
    private void reconcile(Envelope.Roster roster) {
        Set<String> listed = new HashSet<>();
        for (Member m : roster.users()) {
            listed.add(m.id());
        }
        List<Departure> departures = users.atomically(() -> {
            List<Departure> gone = new ArrayList<>();
            for (User user : usersOf(roster.node())) {
                if (!listed.contains(user.id())) {
                    gone.add(users.remove(user));
                }
            }
            return gone;
        });
        departures.forEach(events::departed);
        roster.users().forEach(this::known);
    }

    private void departAll(String otherNode) {
        List<Departure> departures = users.atomically(() -> usersOf(otherNode).stream().map(users::remove).toList());
        departures.forEach(events::departed);
    }

    // ---- lease renewal, rejoining, dead nodes (on the timer thread)

    /** The link to the store is (back) up: re-take our names, then tell everyone who is here and ask who is there. */
    private void rejoin() {
        upSince = System.nanoTime();
        try {
            renewOrThrow(localLeases());
        } catch (Registry.Unavailable e) {
            upSince = -1;
            timer.schedule(this::rejoin, 250, TimeUnit.MILLISECONDS);
            return;
        }
        users.atomically(() -> {
            bus.send(null, new Envelope.Hello(node));
            bus.send(null, roster());
        });
    }

    private void renew() {
        renew(localLeases());
    }

    private void renew(Collection<Lease> leases) {
        try {
            renewOrThrow(leases);
        } catch (Registry.Unavailable e) {
            // The bus logs the link's state changes; there is nothing to add per attempt.
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cluster node " + node + ": lease renewal failed", e);
        }
    }

    private void renewOrThrow(Collection<Lease> leases) {
        Renewal renewal = bus.renew(leases, !users.everyone().isEmpty());
        for (Lease lease : leases) {
            if (users.withId(lease.user()).filter(user -> !user.remote()).isEmpty()) {
                // It left while the renewal was on its way, which may have taken its freed name again.
                bus.release(lease);
            }
        }
        for (Lease lost : renewal.lost()) {
            if (resumingElsewhere(lost)) {
                // Not lost: the same login took its name to another node, whose Takeover is on its way.
                continue;
            }
            Departure departure = users.atomically(() -> users.withId(lost.user())
                    .filter(user -> !user.remote())
                    .map(users::remove)
                    .orElse(null));
            if (departure == null) {
                continue;
            }
            LOG.log(Level.WARNING, "cluster node {0}: \"{1}\" was taken by another node while this one was cut off; "
                    + "closing its socket", node, departure.user().name());
            events.lost(departure);
        }
        if (renewal.wasDeclaredDead()) {
            LOG.log(Level.WARNING, "cluster node {0}: the other nodes took this one for dead while it was cut off; "
                    + "ending its users'' calls with users elsewhere and announcing them again", node);
            endCallsElsewhere();
            if (bus.connected()) {
                // Otherwise rejoin() announces them, once this node can hear its inbox again:
                // a user announced before that could be sent messages that nobody receives.
                users.atomically(() -> bus.send(null, roster()));
            }
        }
    }

    /**
     * Whether the name of {@code ours} is now held by the same login on another node: the user
     * resumed there (with its token) and that node's Takeover has not reached this one yet. A
     * renewal that falls in between must not take the user for lost: that would end its calls
     * here and leave nothing to hand over.
     */
    private boolean resumingElsewhere(Lease ours) {
        try {
            return bus.holder(ours.key())
                    .filter(holder -> holder.user().equals(ours.user()) && !holder.node().equals(node))
                    .isPresent();
        } catch (Registry.Unavailable e) {
            return false;
        }
    }

    /** The other nodes ended their side of every call with this node's users; end ours. */
    private void endCallsElsewhere() {
        for (User user : List.copyOf(users.here())) {
            for (User peer : users.peersOf(user)) {
                if (peer.remote()) {
                    events.relayed(peer, user, Relay.leave(new ServerMessage.Leave(peer.name())));
                }
            }
        }
    }

    /** Users of nodes whose lease has lapsed are gone: tell ours, and free their names at once. */
    private void buryTheDead() {
        try {
            long up = upSince;
            if (up < 0 || !bus.connected() || System.nanoTime() - up < TimeUnit.MILLISECONDS.toNanos(bus.leaseMillis())) {
                // Just (re)connected: after a restart of the store every node needs a moment to renew.
                return;
            }
            Map<String, List<User>> byNode = new HashMap<>();
            for (User user : users.everyone()) {
                if (user.remote()) {
                    byNode.computeIfAbsent(nodeOf(user), n -> new ArrayList<>()).add(user);
                }
            }
            if (byNode.isEmpty()) {
                return;
            }
            for (String dead : bus.dead(byNode.keySet())) {
                List<Departure> departures = users.atomically(() -> usersOf(dead).stream().map(users::remove).toList());
                bus.bury(dead, byNode.get(dead).stream().map(this::lease).toList());
                LOG.log(Level.WARNING, "cluster node {0}: node {1} stopped renewing its lease; its {2} user(s) are gone",
                        node, dead, departures.size());
                departures.forEach(events::departed);
            }
        } catch (Registry.Unavailable e) {
            // Try again next time.
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cluster node " + node + ": dead-node check failed", e);
        }
    }

    // ---- helpers; those that change users are called inside users.atomically

    /** Whoever other than {@code keep} this node thinks holds {@code key} has gone (the store says so). */
    private List<Departure> dropStale(String key, User keep) {
        User stale = users.withKey(key).orElse(null);
        if (stale == null || stale == keep || !stale.remote()) {
            return List.of();
        }
        return List.of(users.remove(stale));
    }

    private List<User> usersOf(String otherNode) {
        List<User> found = new ArrayList<>();
        for (User user : users.everyone()) {
            if (user.remote() && nodeOf(user).equals(otherNode)) {
                found.add(user);
            }
        }
        return found;
    }

    private Envelope.Roster roster() {
        List<Member> members = new ArrayList<>();
        for (User user : users.everyone()) {
            if (!user.remote()) {
                members.add(member(user));
            }
        }
        // A user resuming here is this node's already: the node it leaves hands it over as ours
        // (Takeover), and a roster without it would make that node drop it, telling its peers leave.
        for (PendingResume pending : resuming.values()) {
            members.add(new Member(pending.previous().user(), node, pending.previous().name()));
        }
        return new Envelope.Roster(node, members);
    }

    private List<Lease> localLeases() {
        List<Lease> leases = new ArrayList<>();
        for (User user : users.everyone()) {
            if (!user.remote()) {
                leases.add(lease(user));
            }
        }
        return leases;
    }

    private Lease lease(User user) {
        String token = user.token();
        return new Lease(user.key(), user.id(), nodeOf(user), token == null ? "" : Tokens.hash(token), user.name());
    }

    private Member member(User user) {
        return new Member(user.id(), nodeOf(user), user.name());
    }

    private String nodeOf(User user) {
        return user.connection() instanceof RemoteConnection remote ? remote.node() : node;
    }
}
