package local.textchat.signal;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import jakarta.websocket.CloseReason.CloseCodes;

import local.textchat.config.Settings;
import local.textchat.ice.IceServers;
import local.textchat.metrics.Metrics;
import local.textchat.policy.OriginPolicy;
import local.textchat.protocol.ClientMessage;
import local.textchat.protocol.Codec;
import local.textchat.protocol.ErrorCode;
import local.textchat.protocol.LoginRefusal;
import local.textchat.protocol.Names;
import local.textchat.protocol.Relay;
import local.textchat.protocol.ServerMessage;
import local.textchat.registry.Claim;
import local.textchat.registry.Connection;
import local.textchat.registry.Departure;
import local.textchat.registry.Pairing;
import local.textchat.registry.Registry;
import local.textchat.registry.User;

/**
 * The rules of PROTOCOL.md, applied to messages that have already been decoded and
 * validated: who may log in, who may relay to whom, who hears about it, and what becomes of
 * a socket that goes away. The sender of every relayed message is the user the socket logged
 * in as, never a field the client sent.
 */
public final class Switchboard {

    /** Close code for a socket whose user resumed on another socket. */
    static final int REPLACED = 4001;
    /** How many names a {@code who} without a limit finds. */
    private static final int DEFAULT_SEARCH = 20;

    private static final System.Logger LOG = System.getLogger(Switchboard.class.getName());

    private final Registry registry;
    private final Settings settings;
    private final ScheduledExecutorService timers;
    /** The application is stopping: sockets closing now are not held for a resume. */
    private volatile boolean stopping;
    private final OriginPolicy origins;
    private final Set<Outbox> sockets = ConcurrentHashMap.newKeySet();
    private final ConcurrentMap<String, Integer> socketsPerAddress = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> heartbeat;
    private final IceServers iceServers;
    private final Presence presence;
    private final Metrics metrics;

    /**
     * The rules over {@code registry}, configured by {@code settings}; grace periods, heartbeats and
     * close waits run on {@code timers} (owned by the caller, which stops it after {@link #shutdown}).
     */
    public Switchboard(Registry registry, Settings settings, ScheduledExecutorService timers, Metrics metrics) {
        this.registry = registry;
        this.metrics = metrics;
        this.settings = settings;
        this.timers = timers;
        this.origins = new OriginPolicy(settings.allowedOrigins(), settings.allowMissingOrigin());
        this.presence = new Presence(registry, settings.directoryFullList(), settings.directoryPage());
        registry.listen(new Receiver());
        this.iceServers = new IceServers(settings.iceServers(), settings.turnUrls(), settings.turn(), Clock.systemUTC());
        long sweepSeconds = Math.max(1, Math.min(5, settings.pingIntervalSeconds() / 5));
        this.heartbeat = timers.scheduleWithFixedDelay(this::sweep, sweepSeconds, sweepSeconds, TimeUnit.SECONDS);
    }

    public Registry registry() {
        return registry;
    }

    /** Whether a user is logged in on {@code socket}. */
    boolean loggedIn(Outbox socket) {
        return registry.userOn(socket).isPresent();
    }

    public Settings settings() {
        return settings;
    }

    /** Which handshake origins may open a socket. */
    public OriginPolicy origins() {
        return origins;
    }

    /** The timer thread sockets schedule on. */
    ScheduledExecutorService timers() {
        return timers;
    }

    Metrics metrics() {
        return metrics;
    }

    /** Messages queued for this node's sockets and not yet written. */
    public int backlog() {
        int sum = 0;
        for (Outbox socket : sockets) {
            sum += socket.backlog();
        }
        return sum;
    }

    /** Open sockets, logged in or not. */
    public int openSockets() {
        return sockets.size();
    }

    /** A socket opened; false if its address already has as many as allowed (the caller closes it). */
    /**
     * Whether a handshake from {@code address} is to be refused because the address already has
     * as many sockets open as it may (the servlet filter asks before the container upgrades; a
     * handshake that passes here together with another may still be closed in {@link #opened}).
     */
    public boolean refusesHandshakeFrom(String address) {
        if (address == null || socketsPerAddress.getOrDefault(address, 0) < settings.maxSocketsPerAddress()) {
            return false;
        }
        LOG.log(Level.WARNING, "handshake from {0} refused: it already has {1} sockets open", address,
                settings.maxSocketsPerAddress());
        metrics.closed(Metrics.Close.ADDRESS_CAP);
        return true;
    }

    boolean opened(Outbox socket) {
        String address = socket.remoteAddress();
        if (!RemoteAddress.UNKNOWN.equals(address)) {
            int count = socketsPerAddress.merge(address, 1, Integer::sum);
            if (count > settings.maxSocketsPerAddress()) {
                socketsPerAddress.computeIfPresent(address, (a, n) -> n > 1 ? n - 1 : null);
                LOG.log(Level.WARNING, "socket {0}: refused, {1} already has {2} sockets open", socket.id(), address,
                        settings.maxSocketsPerAddress());
                return false;
            }
        }
        sockets.add(socket);
        return true;
    }

    /**
     * A socket closed with {@code closeCode}. Without a close handshake (1006), or closed by a
     * page going away (1001: reloaded, or navigated away from, closed), its user keeps name and
     * calls for the grace period, waiting for a resume; otherwise all is freed now.
     */
    void closed(Outbox socket, int closeCode) {
        presence.forget(socket);
        if (sockets.remove(socket)) {
            socketsPerAddress.computeIfPresent(socket.remoteAddress(), (a, n) -> n > 1 ? n - 1 : null);
        }
        // Our own 1001 at shutdown comes back here too: nobody waits for a resume then.
        boolean mayComeBack = !stopping && (closeCode == CloseCodes.CLOSED_ABNORMALLY.getCode()
                || closeCode == CloseCodes.GOING_AWAY.getCode());
        if (mayComeBack && settings.resumeGraceSeconds() > 0) {
            registry.suspend(socket).ifPresent(user -> {
                LOG.log(Level.INFO, "socket {0}: \"{1}\" {2}; holding the name {3} s for a resume", socket.id(),
                        user.name(), closeCode == CloseCodes.GOING_AWAY.getCode() ? "went away (1001)" : "dropped",
                        settings.resumeGraceSeconds());
                timers.schedule(() -> expire(user, socket), settings.resumeGraceSeconds(), TimeUnit.SECONDS);
            });
        } else {
            registry.release(socket).ifPresent(this::announceDeparture);
        }
    }

    /**
     * A send to {@code socket} failed. Its close normally follows; but our close can race the
     * container's own (Tyrus: GRIZZLY0013) so that {@code @OnClose} never comes. If it has not
     * come within a few seconds, treat the socket as dropped rather than keep a ghost until the
     * heartbeat notices.
     */
    void lost(Outbox socket) {
        timers.schedule(() -> {
            if (sockets.contains(socket)) {
                LOG.log(Level.INFO, "socket {0}: no close reported after a failed send; treating it as dropped",
                        socket.id());
                closed(socket, CloseCodes.CLOSED_ABNORMALLY.getCode());
            }
        }, 5, TimeUnit.SECONDS);
    }

    /** Apply one message from {@code from}. */
    void dispatch(Outbox from, ClientMessage message) {
        if (message instanceof ClientMessage.Ping ping) {
            from.send(new ServerMessage.Pong(ping.id()));
            return;
        }
        if (message instanceof ClientMessage.Login login) {
            login(from, login);
            return;
        }
        Optional<User> sender = registry.userOn(from);
        if (sender.isEmpty()) {
            refuse(from, ErrorCode.NOT_LOGGED_IN, "log in first: send {\"type\":\"login\",\"name\":…}");
            return;
        }
        User me = sender.get();
        if (message instanceof ClientMessage.Who who) {
            from.send(presence.search(me, from, who.prefix() == null ? "" : who.prefix(),
                    who.limit() == null ? DEFAULT_SEARCH : who.limit()));
        } else if (message instanceof ClientMessage.IceServers) {
            from.send(new ServerMessage.IceServers(iceServers.forUser(me.name()), settings.iceTransportPolicy()));
        } else if (message instanceof ClientMessage.Offer offer) {
            offer(me, offer);
        } else if (message instanceof ClientMessage.Answer answer) {
            withPeer(me, answer.name(), "answer",
                    peer -> relay(me, peer, Relay.answer(new ServerMessage.Answer(me.name(), answer.answer()))));
        } else if (message instanceof ClientMessage.Candidate candidate) {
            withPeer(me, candidate.name(), "candidate", peer -> relay(me, peer,
                    Relay.candidate(new ServerMessage.Candidate(me.name(), candidate.candidate()))));
        } else if (message instanceof ClientMessage.Leave leave) {
            withPeer(me, leave.name(), "leave", peer -> relay(me, peer, Relay.leave(new ServerMessage.Leave(me.name()))));
        } else if (message instanceof ClientMessage.Decline decline) {
            String reason = decline.reason() == null ? "declined" : decline.reason();
            withPeer(me, decline.name(), "decline",
                    peer -> relay(me, peer, Relay.decline(new ServerMessage.Decline(me.name(), reason))));
        }
    }

    /**
     * The sender's side of a relay, checked already: the message, encoded once, goes to
     * {@link #deliver} where the receiver is. A call across two nodes is kept by both, so for a
     * receiver elsewhere this node changes its own copy of the call first, as the receiver's node
     * will in {@code deliver}.
     */
    private void relay(User from, User to, Relay relay) {
        if (to.remote()) {
            Pairing pairing = relay.kind() == Relay.Kind.OFFER ? registry.pair(from, to, settings.maxCallsPerUser()) : Pairing.PAIRED;
            if (pairing == Pairing.GONE) {
                refuse(from, ErrorCode.NO_SUCH_USER, "\"" + to.name() + "\" is not online");
                return;
            }
            if (pairing == Pairing.BUSY) {
                busy(from, to);
                return;
            }
            if (relay.endsCall()) {
                registry.unpair(from, to);
            }
        }
        registry.route(from, to, relay);
    }

    /**
     * The receiving side of every relay, on the node where {@code to} has its socket: an offer
     * starts (or renegotiates) the call, a leave or decline ends it, and anything else passes only
     * within a call. The one place these rules are applied, whether {@code from} is on this node
     * or on another.
     */
    private void deliver(User from, User to, Relay relay) {
        if (relay.kind() == Relay.Kind.OFFER) {
            Pairing pairing = registry.pair(to, from, settings.maxCallsPerUser());
            if (pairing == Pairing.PAIRED) {
                delivered(to, relay);
            } else if (pairing == Pairing.BUSY) {
                busy(from, to);
            } else if (!from.remote()) {
                // The callee went away since the caller found it.
                refuse(from, ErrorCode.NO_SUCH_USER, "\"" + to.name() + "\" is not online");
            }
        } else if (relay.endsCall()) {
            if (registry.unpair(to, from)) {
                delivered(to, relay);
            }
        } else if (registry.paired(to, from)) {
            delivered(to, relay);
        } else {
            // The call ended on the receiver's side while this was on its way.
            refuse(from, ErrorCode.NOT_IN_CALL,
                    notInCall(relay.kind() == Relay.Kind.ANSWER ? "answer" : "candidate", to.name()));
        }
    }

    /**
     * {@code caller}'s offer to {@code callee} would give one of them more calls than a user may
     * have: the caller hears {@code decline} with reason {@code busy}, as if the callee had said so,
     * and the callee hears nothing. A caller on another node gets it through its node, which ends
     * its own copy of the call there.
     */
    private void busy(User caller, User callee) {
        LOG.log(Level.DEBUG, "\"{0}\" calling \"{1}\": busy, {2} calls at most", caller.name(), callee.name(),
                settings.maxCallsPerUser());
        Relay decline = Relay.decline(new ServerMessage.Decline(callee.name(), "busy"));
        if (caller.remote()) {
            registry.route(callee, caller, decline);
        } else {
            caller.relay(decline.frame());
        }
    }

    private void delivered(User to, Relay relay) {
        to.relay(relay.frame());
        metrics.relayed(relay.kind());
    }

    /** Tell a client its frame was refused. */
    void refuse(Outbox to, ErrorCode code, String message) {
        metrics.error(code);
        LOG.log(Level.DEBUG, "socket {0}: refused {1}: {2}", to.id(), code.wire(), message);
        to.send(ServerMessage.Error.of(code, message));
    }

    /** The application is stopping: close every socket with 1001 and forget everyone. */
    public void shutdown() {
        stopping = true;
        heartbeat.cancel(false);
        for (Outbox socket : sockets) {
            socket.close(CloseCodes.GOING_AWAY.getCode(), "server shutting down");
        }
        sockets.clear();
        socketsPerAddress.clear();
        registry.clear();
    }

    private void login(Outbox from, ClientMessage.Login login) {
        if (registry.userOn(from).isPresent()) {
            // Whatever the name: this socket has one (the claim below checks again, atomically).
            refuseLogin(from, LoginRefusal.ALREADY_LOGGED_IN);
            return;
        }
        Optional<String> name = Names.normalise(login.name());
        if (name.isEmpty()) {
            refuseLogin(from, LoginRefusal.INVALID_NAME);
            return;
        }
        String principal = from.principal();
        if (principal != null && !Names.key(principal).equals(Names.key(name.get()))) {
            LOG.log(Level.INFO, "socket {0}: \"{1}\" may not log in as \"{2}\"", from.id(), principal, name.get());
            refuseLogin(from, LoginRefusal.UNAUTHORIZED);
            return;
        }
        Claim claim;
        try {
            claim = registry.claim(name.get(), from, login.token());
        } catch (Registry.Unavailable e) {
            // The cluster's store is out of reach; the store's link logs that once, not per login.
            LOG.log(Level.DEBUG, "socket {0}: login as \"{1}\" refused: {2}", from.id(), name.get(), e.getMessage());
            refuseLogin(from, LoginRefusal.UNAVAILABLE);
            return;
        }
        if (claim instanceof Claim.Claimed claimed) {
            User user = claimed.user();
            from.send(accepted(user, presence.admit(user, from)));
            metrics.accepted();
            presence.joined(user);
            LOG.log(Level.INFO, "socket {0}: logged in as \"{1}\" ({2} online)", from.id(), user.name(),
                    registry.size());
            if (!from.isOpen()) {
                // It closed while the claim was being decided, so its close found no name to free.
                registry.release(from).ifPresent(this::announceDeparture);
            }
        } else if (claim instanceof Claim.Resumed resumed) {
            User user = resumed.user();
            from.send(accepted(user, presence.admit(user, from)));
            metrics.resumed();
            if (resumed.previous() != from) {
                resumed.previous().close(REPLACED, "replaced by a resumed login");
            }
            LOG.log(Level.INFO, "socket {0}: \"{1}\" resumed (was socket {2})", from.id(), user.name(),
                    resumed.previous().id());
        } else if (claim instanceof Claim.Taken) {
            refuseLogin(from, LoginRefusal.TAKEN);
        } else if (claim instanceof Claim.AlreadyLoggedIn) {
            refuseLogin(from, LoginRefusal.ALREADY_LOGGED_IN);
        } else if (claim instanceof Claim.Full) {
            LOG.log(Level.WARNING, "socket {0}: login refused, server full ({1} users)", from.id(), registry.size());
            refuseLogin(from, LoginRefusal.SERVER_FULL);
        }
    }

    private void refuseLogin(Outbox from, LoginRefusal reason) {
        metrics.refused(reason);
        from.send(ServerMessage.Login.refused(reason));
    }

    private ServerMessage.Login accepted(User user, Presence.Page others) {
        return ServerMessage.Login.accepted(user.name(), others.names(), others.total(), iceServers.forUser(user.name()),
                settings.iceTransportPolicy(), user.token());
    }

    private void offer(User me, ClientMessage.Offer offer) {
        // A renegotiation reaches the peer of the call; a new call may need the cluster's store.
        Optional<User> callee = registry.peerNamed(me, offer.name()).or(() -> registry.reach(offer.name()));
        if (callee.isEmpty()) {
            refuse(me, ErrorCode.NO_SUCH_USER, "\"" + offer.name() + "\" is not online");
            return;
        }
        User peer = callee.get();
        if (peer == me) {
            refuse(me, ErrorCode.INVALID_MESSAGE, "you cannot call yourself");
            return;
        }
        relay(me, peer, Relay.offer(new ServerMessage.Offer(me.name(), offer.offer())));
    }

    private void withPeer(User me, String peerName, String what, Consumer<User> action) {
        Optional<User> peer = registry.peerNamed(me, peerName);
        if (peer.isEmpty()) {
            refuse(me, ErrorCode.NOT_IN_CALL, notInCall(what, peerName));
            return;
        }
        action.accept(peer.get());
    }

    private static String notInCall(String what, String peerName) {
        return "cannot send " + what + " to \"" + peerName + "\": you are not in a call with them";
    }

    private void refuse(User to, ErrorCode code, String message) {
        metrics.error(code);
        LOG.log(Level.DEBUG, "\"{0}\": refused {1}: {2}", to.name(), code.wire(), message);
        to.send(ServerMessage.Error.of(code, message));
    }

    private void expire(User user, Outbox droppedFrom) {
        registry.expire(user, droppedFrom).ifPresent(departure -> {
            LOG.log(Level.INFO, "\"{0}\" did not come back within {1} s", user.name(), settings.resumeGraceSeconds());
            announceDeparture(departure);
        });
    }

    private void announceDeparture(Departure departure) {
        User gone = departure.user();
        String leave = Codec.encode(new ServerMessage.Leave(gone.name()));
        for (User peer : departure.formerPeers()) {
            peer.send(leave);
        }
        presence.departed(gone);
        LOG.log(Level.INFO, "socket {0}: \"{1}\" went away ({2} online)", gone.connection().id(), gone.name(),
                registry.size());
    }

    /**
     * What reaches this node's users: every relayed message (from here or from another node), and
     * in a cluster what users on other nodes do. A single node gets only {@code relayed}.
     */
    private final class Receiver implements Registry.Events {

        @Override
        public void relayed(User from, User to, Relay relay) {
            deliver(from, to, relay);
        }

        @Override
        public void joined(User user) {
            presence.joined(user);
        }

        @Override
        public void departed(Departure departure) {
            announceDeparture(departure);
        }

        @Override
        public void resumedElsewhere(User user, Connection previous) {
            previous.close(REPLACED, "replaced by a resumed login");
        }

        @Override
        public void lost(Departure departure) {
            departure.user().connection().close(CloseCodes.SERVICE_RESTART.getCode(),
                    "name lost while this server was cut off from the cluster; log in again");
            announceDeparture(departure);
        }
    }

    /** Ping sockets that have been quiet for a ping interval; close those silent past the idle timeout. */
    private void sweep() {
        long now = System.nanoTime();
        long pingAfter = TimeUnit.SECONDS.toNanos(settings.pingIntervalSeconds());
        long closeAfter = TimeUnit.SECONDS.toNanos(settings.idleTimeoutSeconds());
        for (Outbox socket : sockets) {
            long silent = now - socket.lastHeard();
            if (silent >= closeAfter) {
                LOG.log(Level.INFO, "socket {0}: silent for {1} s; closing", socket.id(), settings.idleTimeoutSeconds());
                metrics.closed(Metrics.Close.IDLE);
                socket.close(CloseCodes.NORMAL_CLOSURE.getCode(), "no answer to pings");
                // A half-open connection may never report its close; free it now.
                closed(socket, CloseCodes.NORMAL_CLOSURE.getCode());
            } else if (silent >= pingAfter && socket.pingDue(now, pingAfter)) {
                socket.ping();
            }
        }
    }
}
