package local.textchat.signal;

import java.lang.System.Logger.Level;
import java.util.Optional;

import local.textchat.config.Settings;
import local.textchat.protocol.ClientMessage;
import local.textchat.protocol.ErrorCode;
import local.textchat.protocol.LoginRefusal;
import local.textchat.protocol.Names;
import local.textchat.protocol.ServerMessage;
import local.textchat.registry.Claim;
import local.textchat.registry.Connection;
import local.textchat.registry.Departure;
import local.textchat.registry.Registry;
import local.textchat.registry.User;

/**
 * The rules of PROTOCOL.md, applied to messages that have already been decoded and
 * validated: who may log in, who may relay to whom, and who hears about it. The sender of
 * every relayed message is the user the socket logged in as, never a field the client sent.
 */
public final class Switchboard {

    private static final System.Logger LOG = System.getLogger(Switchboard.class.getName());

    private final Registry registry;
    private final Settings settings;

    public Switchboard(Registry registry, Settings settings) {
        this.registry = registry;
        this.settings = settings;
    }

    public Registry registry() {
        return registry;
    }

    public Settings settings() {
        return settings;
    }

    /** Apply one message from {@code from}. */
    public void dispatch(Connection from, ClientMessage message) {
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
        if (message instanceof ClientMessage.Offer offer) {
            offer(me, offer);
        } else if (message instanceof ClientMessage.Answer answer) {
            withPeer(me, answer.name(), "answer", peer -> peer.send(new ServerMessage.Answer(me.name(), answer.answer())));
        } else if (message instanceof ClientMessage.Candidate candidate) {
            withPeer(me, candidate.name(), "candidate",
                    peer -> peer.send(new ServerMessage.Candidate(me.name(), candidate.candidate())));
        } else if (message instanceof ClientMessage.Leave leave) {
            withPeer(me, leave.name(), "leave", peer -> {
                registry.unpair(me, peer);
                peer.send(new ServerMessage.Leave(me.name()));
            });
        } else if (message instanceof ClientMessage.Decline decline) {
            String reason = decline.reason() == null ? "declined" : decline.reason();
            withPeer(me, decline.name(), "decline", peer -> {
                registry.unpair(me, peer);
                peer.send(new ServerMessage.Decline(me.name(), reason));
            });
        }
    }

    /** The socket {@code connection} is gone: free its name, end its calls, tell everyone. */
    public void disconnected(Connection connection) {
        registry.release(connection).ifPresent(this::announceDeparture);
    }

    /** Tell a client its frame was refused. */
    public void refuse(Connection to, ErrorCode code, String message) {
        LOG.log(Level.DEBUG, "socket {0}: refused {1}: {2}", to.id(), code.wire(), message);
        to.send(ServerMessage.Error.of(code, message));
    }

    private void login(Connection from, ClientMessage.Login login) {
        Optional<String> name = Names.normalise(login.name());
        if (name.isEmpty()) {
            from.send(ServerMessage.Login.refused(LoginRefusal.INVALID_NAME));
            return;
        }
        Claim claim = registry.claim(name.get(), from);
        if (claim instanceof Claim.Claimed claimed) {
            User user = claimed.user();
            from.send(ServerMessage.Login.accepted(user.name(), claimed.others(), settings.iceServers(), null));
            ServerMessage online = new ServerMessage.Online(user.name());
            for (User other : registry.online()) {
                if (other != user) {
                    other.send(online);
                }
            }
            LOG.log(Level.INFO, "socket {0}: logged in as \"{1}\" ({2} online)", from.id(), user.name(),
                    registry.size());
        } else if (claim instanceof Claim.Taken) {
            from.send(ServerMessage.Login.refused(LoginRefusal.TAKEN));
        } else if (claim instanceof Claim.AlreadyLoggedIn) {
            from.send(ServerMessage.Login.refused(LoginRefusal.ALREADY_LOGGED_IN));
        } else if (claim instanceof Claim.Full) {
            LOG.log(Level.WARNING, "socket {0}: login refused, server full ({1} users)", from.id(), registry.size());
            from.send(ServerMessage.Login.refused(LoginRefusal.SERVER_FULL));
        }
    }

    private void offer(User me, ClientMessage.Offer offer) {
        Optional<User> callee = registry.find(offer.name());
        if (callee.isEmpty()) {
            refuse(me.connection(), ErrorCode.NO_SUCH_USER, "\"" + offer.name() + "\" is not online");
            return;
        }
        User peer = callee.get();
        if (peer == me) {
            refuse(me.connection(), ErrorCode.INVALID_MESSAGE, "you cannot call yourself");
            return;
        }
        if (!registry.pair(me, peer)) {
            // The callee went away between find and pair.
            refuse(me.connection(), ErrorCode.NO_SUCH_USER, "\"" + offer.name() + "\" is not online");
            return;
        }
        peer.send(new ServerMessage.Offer(me.name(), offer.offer()));
    }

    private void withPeer(User me, String peerName, String what, java.util.function.Consumer<User> action) {
        Optional<User> peer = registry.find(peerName).filter(p -> registry.paired(me, p));
        if (peer.isEmpty()) {
            refuse(me.connection(), ErrorCode.NOT_IN_CALL,
                    "cannot send " + what + " to \"" + peerName + "\": you are not in a call with them");
            return;
        }
        action.accept(peer.get());
    }

    private void announceDeparture(Departure departure) {
        User gone = departure.user();
        ServerMessage.Leave leave = new ServerMessage.Leave(gone.name());
        for (User peer : departure.formerPeers()) {
            peer.send(leave);
        }
        ServerMessage.Offline offline = new ServerMessage.Offline(gone.name());
        for (User other : registry.online()) {
            other.send(offline);
        }
        LOG.log(Level.INFO, "socket {0}: \"{1}\" went away ({2} online)", gone.connection().id(), gone.name(),
                registry.size());
    }
}
