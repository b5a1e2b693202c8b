package local.textchat.signal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import local.textchat.protocol.Codec;
import local.textchat.protocol.ServerMessage;
import local.textchat.registry.Connection;
import local.textchat.registry.Registry;
import local.textchat.registry.User;

/**
 * Who hears of whose logins and departures, so that presence costs a small deployment nothing
 * new and a large one no storm (PROTOCOL.md, "Presence").
 *
 * <p>A socket that logs in while at most {@code fullListMax} others are online gets all of them
 * in its login reply and from then on every {@code online} and {@code offline}, as the tutorial's
 * clients expect. One that logs in when more are online gets the first {@code pageSize} names
 * (in name order) and the total, and from then on hears only of the people on its list: that
 * first page, replaced by the answer to each {@code who} search. So a login costs at most
 * {@code fullListMax + 1} presence frames however many are online (the sockets that logged in
 * while the list was short are never more than that at once), and each frame is encoded once.
 *
 * <p>Changes go out as they happen, one frame each, not batched over a time window: with these
 * lists a burst of logins is already bounded per login, and a window would only delay what a
 * person watching the list sees. A departure reaches the sockets whose list shows the user: in a
 * large deployment, averaged over the users, as many as a list holds ({@code pageSize}, or a
 * search's limit), though everyone who logged in while a user was on the first page hears when
 * that user leaves.
 */
final class Presence {

    /** The most names a {@code who} answer carries. */
    static final int MAX_SEARCH = 100;

    private final Registry registry;
    private final int fullListMax;
    private final int pageSize;
    /** The sockets that get every online and offline. */
    private final Set<Connection> fullList = ConcurrentHashMap.newKeySet();
    /** By name key: the directory-mode sockets whose list shows that name. */
    private final ConcurrentMap<String, Set<Connection>> watchers = new ConcurrentHashMap<>();
    /** By directory-mode socket: the name keys on its list. */
    private final ConcurrentMap<Connection, List<String>> lists = new ConcurrentHashMap<>();

    Presence(Registry registry, int fullListMax, int pageSize) {
        this.registry = registry;
        this.fullListMax = fullListMax;
        this.pageSize = pageSize;
    }

    /** The names and total for the login reply of {@code user} on {@code socket}, which hears of them from now on. */
    Page admit(User user, Connection socket) {
        forget(socket);
        int others = Math.max(0, registry.size() - 1);
        if (others <= fullListMax) {
            fullList.add(socket);
            List<User> everyone = registry.users().ordered("", fullListMax + 1, user);
            return new Page(names(everyone), everyone.size());
        }
        List<User> first = registry.users().ordered("", pageSize, user);
        watch(socket, first);
        return new Page(names(first), others);
    }

    /** The answer to a {@code who} search by {@code user} on {@code socket}; its list becomes what it found. */
    ServerMessage.Who search(User user, Connection socket, String prefix, int limit) {
        List<User> found = registry.users().ordered(prefix, Math.min(limit, MAX_SEARCH), user);
        int total = registry.users().countPrefix(prefix, user);
        if (!fullList.contains(socket)) {
            forget(socket);
            watch(socket, found);
        }
        return new ServerMessage.Who(prefix, names(found), total);
    }

    /** {@code user} logged in (here or on another node): tell those who are to hear of it. */
    void joined(User user) {
        tell(user, new ServerMessage.Online(user.name()));
    }

    /** {@code user} went away: tell those who are to hear of it; it is on nobody's list any more. */
    void departed(User user) {
        tell(user, new ServerMessage.Offline(user.name()));
        Set<Connection> stale = watchers.remove(user.key());
        if (stale != null) {
            for (Connection socket : stale) {
                lists.computeIfPresent(socket, (s, keys) -> {
                    List<String> rest = new ArrayList<>(keys);
                    rest.remove(user.key());
                    return rest;
                });
            }
        }
    }

    /** {@code socket} closed (or logged in again): it hears of nobody any more. */
    void forget(Connection socket) {
        fullList.remove(socket);
        List<String> keys = lists.remove(socket);
        if (keys != null) {
            for (String key : keys) {
                watchers.computeIfPresent(key, (k, set) -> {
                    set.remove(socket);
                    return set.isEmpty() ? null : set;
                });
            }
        }
    }

    private void tell(User subject, ServerMessage message) {
        String frame = null;
        Set<Connection> watching = watchers.getOrDefault(subject.key(), Set.of());
        for (Connection socket : fullList) {
            frame = send(socket, subject, message, frame);
        }
        for (Connection socket : watching) {
            frame = send(socket, subject, message, frame);
        }
    }

    /** Sends {@code message} to {@code socket} unless it is {@code subject}'s own; encodes it once. */
    private String send(Connection socket, User subject, ServerMessage message, String frame) {
        if (socket == subject.connection()) {
            return frame;
        }
        String encoded = frame != null ? frame : Codec.encode(message);
        socket.send(encoded);
        return encoded;
    }

    private void watch(Connection socket, List<User> users) {
        List<String> keys = new ArrayList<>(users.size());
        for (User u : users) {
            keys.add(u.key());
            watchers.computeIfAbsent(u.key(), k -> ConcurrentHashMap.newKeySet()).add(socket);
        }
        lists.put(socket, keys);
    }

    private static List<String> names(List<User> users) {
        List<String> names = new ArrayList<>(users.size());
        for (User u : users) {
            names.add(u.name());
        }
        return names;
    }

    /** What a login reply lists: {@code names}, of {@code total} others online. */
    record Page(List<String> names, int total) {
    }
}
