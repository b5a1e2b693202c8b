package local.textchat.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import local.textchat.protocol.ClientMessage;
import local.textchat.protocol.Codec;
import local.textchat.protocol.Names;
import local.textchat.protocol.ProtocolViolation;
import local.textchat.support.RawClient;
import local.textchat.support.TestServer;
import local.textchat.support.WsClient;

/**
 * A few sockets on one live server, driven one {@link Step} at a time, with what the test knows
 * of the server's state: who is logged in on which socket, which pairs are certainly in a call,
 * and which names are on their way out (their release or grace period races the test).
 *
 * <p>After every frame the sending socket round-trips a ping, so everything the server answered
 * has arrived; the answers are checked against what PROTOCOL.md says this frame in this state
 * earns, and messages relayed to a socket are checked when that socket next round-trips: each
 * expected relay arrived, and every relayed payload is one its named sender really sent.
 */
final class Fleet implements AutoCloseable {

    /** Frames that are the server's answer to the sender's own frame; everything else is relayed or presence. */
    private static final Set<String> ANSWERS = Set.of("error", "login", "pong", "who", "ice-servers");
    private static final int MAX_FRAME_BYTES = 64 * 1024;

    private final TestServer server;
    private final long unsettledNanos;
    private final Slot[] slots;
    /** Names (keys) whose release is under way until the given System.nanoTime(). */
    private final Map<String, Long> departing = new HashMap<>();
    /** Pairs of name keys certainly in a call with each other. */
    private final Set<Set<String>> pairs = new HashSet<>();
    /**
     * Pairs that may still be in a call: one side went away (its release races the test) or
     * resumed (within the grace period its calls survive). They count towards the limit of calls
     * only as "perhaps".
     */
    private final Set<Set<String>> maybe = new HashSet<>();
    /** textchat.maxCallsPerUser of the server under test. */
    private final int maxCalls;
    /** Name keys whose calls the test cannot know (after a drop and resume). */
    private final Set<String> uncertain = new HashSet<>();
    /** Every offer, answer and candidate payload each name has sent, to tell real relays from forged ones. */
    private final Map<String, Set<JsonValue>> sent = new HashMap<>();
    private final Deque<String> history = new ArrayDeque<>();
    private final Map<String, Integer> counts = new TreeMap<>();
    private int serial;

    private static final class Slot {
        final int index;
        Line line;
        String name;
        String token;
        final List<JsonObject> expected = new ArrayList<>();
        /** What was relayed to this socket before its latest pong, less the declines in {@link #clientDeclines}. */
        List<JsonObject> relays = List.of();
        /**
         * Declines other clients sent this socket and it has not read yet. A client's "busy" is the
         * very frame the server answers a call past the limit with (PROTOCOL.md), so one that
         * arrives with the answer to our next offer must not be taken for the server's.
         */
        final List<JsonObject> clientDeclines = new ArrayList<>();

        Slot(int index) {
            this.index = index;
        }

        void forget() {
            line = null;
            name = null;
            token = null;
            expected.clear();
            clientDeclines.clear();
        }
    }

    Fleet(TestServer server, int sockets, int graceSeconds, int maxCalls) {
        this.server = server;
        this.maxCalls = maxCalls;
        this.unsettledNanos = TimeUnit.SECONDS.toNanos(graceSeconds + 5L);
        this.slots = new Slot[sockets];
        for (int i = 0; i < sockets; i++) {
            slots[i] = new Slot(i);
        }
    }

    /** Frames, closes, relays… counted by kind. */
    Map<String, Integer> counts() {
        return counts;
    }

    void apply(Step step) {
        history.addLast(step.toString());
        if (history.size() > 40) {
            history.removeFirst();
        }
        try {
            if (step instanceof Step.Text text) {
                text(slots[text.slot()], text.frame());
            } else if (step instanceof Step.Binary binary) {
                binary(slots[binary.slot()], binary.size());
            } else if (step instanceof Step.Oversized big) {
                oversized(slots[big.slot()], big.size(), big.binary());
            } else if (step instanceof Step.Reply reply) {
                reply(slots[reply.slot()], reply.kind(), reply.text());
            } else if (step instanceof Step.TakeOver takeOver) {
                takeOver(slots[takeOver.slot()], slots[takeOver.holder()]);
            } else if (step instanceof Step.ConnectRaw raw) {
                connectRaw(slots[raw.slot()]);
            } else if (step instanceof Step.Drop drop) {
                drop(slots[drop.slot()], drop.resume());
            } else if (step instanceof Step.Close close) {
                close(slots[close.slot()]);
            }
            checkStillOpen();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e + "\n  last steps, oldest first:\n    "
                    + String.join("\n    ", history), e);
        }
    }

    /** End of a round: every socket round-trips (so expected relays are checked), then a newcomer is served. */
    void settle() {
        for (Slot s : slots) {
            if (s.line != null) {
                sync(s);
            }
        }
        try (WsClient probe = server.connect()) {
            JsonObject reply = probe.login("probe-" + (++serial));
            Set<String> users = names(reply);
            for (Slot s : slots) {
                if (s.name != null) {
                    assertTrue(users.contains(s.name), () -> "a newcomer's user list " + users + " lacks " + s.name);
                }
            }
            probe.sync();
        }
        count("rounds");
    }

    /** Close every socket, some abruptly, and return the user list a newcomer then sees (it must become empty). */
    Set<String> leaveAndLookAround(long timeoutMillis) {
        for (Slot s : slots) {
            if (s.line != null) {
                s.line.end();
                s.forget();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            try (WsClient probe = server.connect()) {
                Set<String> users = names(probe.login("last-" + (++serial)));
                if (users.isEmpty() || System.nanoTime() > deadline) {
                    return users;
                }
            }
            sleep(200);
        }
    }

    @Override
    public void close() {
        for (Slot s : slots) {
            if (s.line != null) {
                s.line.end();
                s.forget();
            }
        }
    }

    // ---- steps

    private void text(Slot s, String frame) {
        connected(s);
        if (frame.getBytes(StandardCharsets.UTF_8).length > MAX_FRAME_BYTES) {
            sendOversized(s, () -> s.line.send(frame));
            return;
        }
        ClientMessage message = null;
        String refusal = null;
        try {
            message = Codec.decode(frame);
        } catch (ProtocolViolation violation) {
            refusal = violation.code().wire();
        }
        JsonValue payload = payloadOf(message);
        if (payload != null && s.name != null) {
            sent.computeIfAbsent(s.name, n -> new HashSet<>()).add(payload);
        }
        s.line.send(frame);
        count("text frames");
        List<JsonObject> answers = sync(s);
        if (refusal != null) {
            expectError(answers, refusal);
        } else if (message instanceof ClientMessage.Ping ping) {
            JsonObject pong = single(answers, "pong");
            checkId(ping.id(), pong.get("id"));
        } else if (message instanceof ClientMessage.Login login) {
            login(s, login, single(answers, "login"));
        } else if (s.name == null) {
            expectError(answers, "not-logged-in");
        } else if (message instanceof ClientMessage.Who who) {
            JsonObject found = single(answers, "who");
            assertEquals(who.prefix() == null ? "" : who.prefix(), found.getString("prefix"), found::toString);
            assertTrue(found.getInt("total") >= found.getJsonArray("users").size(), found::toString);
        } else if (message instanceof ClientMessage.IceServers) {
            // Its own limit (5 at once, then one per 5 s) may refuse it; nothing else may.
            JsonObject reply = answers.size() == 1 ? answers.get(0) : null;
            assertTrue(reply != null && (reply.getString("type").equals("ice-servers")
                    || "rate-limited".equals(reply.getString("code", null))), () -> "ice-servers answered " + answers);
        } else {
            relay(s, message, answers);
        }
    }

    private void binary(Slot s, int size) {
        connected(s);
        if (s.line instanceof RawLine) {
            return; // the raw client speaks text frames only
        }
        byte[] bytes = new byte[size];
        new java.util.Random(size).nextBytes(bytes);
        ((WsLine) s.line).client.sendBinary(bytes);
        count("binary frames");
        expectError(sync(s), "bad-frame");
    }

    private void oversized(Slot s, int size, boolean binary) {
        connected(s);
        if (binary && s.line instanceof WsLine ws) {
            sendOversized(s, () -> ws.client.sendBinary(new byte[size]));
        } else {
            String frame = "{\"type\":\"ping\",\"pad\":\"" + "x".repeat(size) + "\"}";
            sendOversized(s, () -> s.line.send(frame));
        }
    }

    private void sendOversized(Slot s, Runnable send) {
        try {
            send.run();
        } catch (IllegalStateException e) {
            // The server may close before the whole frame is written; the close code below is what counts.
        }
        count("oversized frames");
        int code = s.line.awaitClose();
        assertEquals(1009, code, "a frame over the limit must close the socket with 1009");
        departed(s);
    }

    private void reply(Slot s, String kind, String text) {
        if (s.name == null) {
            return;
        }
        String me = Names.key(s.name);
        Slot peer = null;
        for (Slot other : slots) {
            if (other.name != null && other != s && pairs.contains(Set.of(me, Names.key(other.name)))) {
                peer = other;
                break;
            }
        }
        if (peer == null) {
            return;
        }
        var frame = Json.createObjectBuilder().add("type", kind.equals("end") ? "candidate" : kind)
                .add("name", peer.name);
        switch (kind) {
            case "answer" -> frame.add("answer", Json.createObjectBuilder().add("type", "answer").add("sdp", text));
            case "candidate" -> frame.add("candidate", Json.createObjectBuilder().add("candidate", text));
            case "end" -> frame.addNull("candidate");
            case "decline" -> frame.add("reason", "busy");
            default -> frame.add("x-note", text);
        }
        count("replies in a call");
        text(s, frame.build().toString());
    }

    private void takeOver(Slot s, Slot holder) {
        if (s == holder || holder.name == null || holder.line == null) {
            return;
        }
        count("take-overs tried");
        text(s, Json.createObjectBuilder().add("type", "login").add("name", holder.name).add("token", holder.token)
                .build().toString());
    }

    private void connectRaw(Slot s) {
        if (s.line != null) {
            close(s);
        }
        RawClient raw = RawClient.connect(server.signalUri(), null);
        assertEquals(101, raw.status(), "raw handshake refused");
        s.line = new RawLine(raw);
        count("connections");
    }

    private void drop(Slot s, boolean resume) {
        if (s.line == null) {
            return;
        }
        if (!(s.line instanceof RawLine)) {
            close(s);
            return;
        }
        String name = s.name;
        String token = s.token;
        s.line.end();
        s.forget();
        count("abrupt drops");
        if (name == null) {
            return;
        }
        String key = Names.key(name);
        forgetPairs(key);
        if (!resume) {
            departing.put(key, System.nanoTime() + unsettledNanos);
            return;
        }
        connected(s);
        s.line.send(Json.createObjectBuilder().add("type", "login").add("name", name).add("token", token).build()
                .toString());
        JsonObject reply = single(sync(s), "login");
        assertTrue(reply.getBoolean("success"), () -> "resume as " + name + " with its token failed: " + reply);
        assertEquals(name, reply.getString("name"));
        s.name = name;
        s.token = reply.getString("token");
        assertFalse(token.equals(s.token), "the resume token must rotate");
        // The calls survive the resume, unless it came after the grace period: either way is right.
        uncertain.add(key);
        count("resumes");
    }

    private void close(Slot s) {
        if (s.line == null) {
            return;
        }
        if (s.line instanceof RawLine) {
            drop(s, false);
            return;
        }
        s.line.end();
        count("clean closes");
        departed(s);
    }

    /** The slot's socket is gone (closed by either side): its name is released, soon. */
    private void departed(Slot s) {
        if (s.name != null) {
            String key = Names.key(s.name);
            forgetPairs(key);
            departing.put(key, System.nanoTime() + unsettledNanos);
        }
        s.forget();
    }

    // ---- what each answer must be

    private void login(Slot s, ClientMessage.Login login, JsonObject reply) {
        Optional<String> name = Names.normalise(login.name());
        boolean success = reply.getBoolean("success");
        if (s.name != null) {
            // Whatever the name: a logged-in socket's second login (PROTOCOL.md, One login per socket).
            refusedWith(reply, "already-logged-in");
            return;
        }
        if (name.isEmpty()) {
            refusedWith(reply, "invalid-name");
            return;
        }
        String key = Names.key(name.get());
        Slot holder = holderOf(key);
        if (holder != null) {
            if (login.token() != null && login.token().equals(holder.token)) {
                assertTrue(success, () -> "login with the holder's token must resume: " + reply);
                assertEquals(holder.name, reply.getString("name"));
                assertEquals(4001, holder.line.awaitClose(), "the replaced socket must be closed with 4001");
                s.name = holder.name;
                s.token = reply.getString("token");
                holder.forget();
                count("take-overs");
            } else {
                refusedWith(reply, "taken");
            }
            return;
        }
        if (!success) {
            assertTrue(isDeparting(key), () -> "login as " + name.get() + " refused, nobody holds it: " + reply);
            refusedWith(reply, "taken");
            return;
        }
        assertEquals(name.get(), reply.getString("name"));
        Set<String> users = names(reply);
        assertFalse(users.contains(name.get()), "the user list must not include oneself");
        for (Slot other : slots) {
            if (other.name != null) {
                assertTrue(users.contains(other.name), () -> "user list " + users + " lacks " + other.name);
            }
        }
        String token = reply.getString("token", "");
        assertTrue(token.length() >= 22, () -> "a login must hand out a resume token: " + reply);
        s.name = name.get();
        s.token = token;
        // A fresh claim: whoever held the name before is gone, and so are its calls.
        forgetPairs(key);
        maybe.removeIf(pair -> pair.contains(key));
        uncertain.remove(key);
        departing.remove(key);
        count("logins");
    }

    private void relay(Slot s, ClientMessage message, List<JsonObject> answers) {
        Optional<String> error = errorIn(answers);
        String me = Names.key(s.name);
        String target = targetOf(message);
        String them = Names.key(target);
        Slot peer = holderOf(them);
        Set<String> pair = me.equals(them) ? Set.of(me) : Set.of(me, them);
        if (message instanceof ClientMessage.Offer offer) {
            if (them.equals(me)) {
                assertEquals(Optional.of("invalid-message"), error, "calling oneself");
            } else if (peer != null) {
                assertEquals(Optional.empty(), error, () -> "an offer to " + target + ", who is online, was refused");
                if (busy(s, peer, pair)) {
                    count("offers answered busy");
                    return;
                }
                pairs.add(pair);
                maybe.remove(pair);
                expect(peer, relayed("offer", s.name).add("offer", offer.offer()));
            } else if (isDeparting(them)) {
                error.ifPresentOrElse(code -> assertEquals("no-such-user", code), () -> {
                    uncertain.add(me);
                    uncertain.add(them);
                    maybe.add(pair);
                });
            } else {
                assertEquals(Optional.of("no-such-user"), error, () -> "an offer to " + target + ", who is not online");
            }
            return;
        }
        boolean ends = message instanceof ClientMessage.Leave || message instanceof ClientMessage.Decline;
        if (peer != null && !them.equals(me) && pairs.contains(pair)) {
            assertEquals(Optional.empty(), error, () -> "relay to " + target + ", who is in a call with us, refused");
        } else if (isDeparting(them) || uncertain.contains(me) || uncertain.contains(them)) {
            error.ifPresent(code -> assertEquals("not-in-call", code));
        } else {
            assertEquals(Optional.of("not-in-call"), error, () -> "relay to " + target + ", not in a call with us");
        }
        if (error.isEmpty()) {
            if (peer != null) {
                expect(peer, relayOf(message, s.name));
                if (message instanceof ClientMessage.Decline) {
                    peer.clientDeclines.add(relayOf(message, s.name).build());
                }
            }
            if (ends) {
                pairs.remove(pair);
                maybe.remove(pair);
            }
            count("relays accepted");
        }
    }

    /**
     * Whether the server answered {@code s}'s new offer to {@code peer} with {@code decline}
     * {@code busy} (PROTOCOL.md: past {@code maxCallsPerUser} calls on either side), checked
     * against what the model knows: busy if either certainly has the limit of calls, not busy if
     * neither can have it.
     */
    private boolean busy(Slot s, Slot peer, Set<String> pair) {
        JsonObject decline = Json.createObjectBuilder().add("type", "decline").add("name", peer.name)
                .add("reason", "busy").build();
        boolean busy = s.relays.contains(decline);
        if (pairs.contains(pair)) {
            assertFalse(busy, "a renegotiation within a call was answered busy");
            return false;
        }
        if (maybe.contains(pair)) {
            return busy; // perhaps a renegotiation, perhaps a new call
        }
        String me = Names.key(s.name);
        String them = Names.key(peer.name);
        boolean mustBe = calls(pairs, me) >= maxCalls || calls(pairs, them) >= maxCalls;
        boolean mayBe = calls(pairs, me) + calls(maybe, me) >= maxCalls
                || calls(pairs, them) + calls(maybe, them) >= maxCalls;
        if (mustBe) {
            assertTrue(busy, () -> "an offer past " + maxCalls + " calls was not answered busy: " + pairs);
        } else if (!mayBe) {
            assertFalse(busy, () -> "an offer within " + maxCalls + " calls was answered busy: " + pairs);
        }
        return busy;
    }

    private static long calls(Set<Set<String>> among, String key) {
        return among.stream().filter(pair -> pair.size() == 2 && pair.contains(key)).count();
    }

    private static JsonObjectBuilder relayOf(ClientMessage message, String from) {
        if (message instanceof ClientMessage.Answer answer) {
            return relayed("answer", from).add("answer", answer.answer());
        } else if (message instanceof ClientMessage.Candidate candidate) {
            return relayed("candidate", from).add("candidate",
                    candidate.candidate() == null ? JsonValue.NULL : candidate.candidate());
        } else if (message instanceof ClientMessage.Leave) {
            return relayed("leave", from);
        }
        String reason = ((ClientMessage.Decline) message).reason();
        return relayed("decline", from).add("reason", reason == null ? "declined" : reason);
    }

    private static JsonObjectBuilder relayed(String type, String from) {
        return Json.createObjectBuilder().add("type", type).add("name", from);
    }

    private void expect(Slot peer, JsonObjectBuilder message) {
        peer.expected.add(message.build());
    }

    // ---- reading and checking what arrives

    /** Round-trip a ping; returns the answers that came before the pong, having checked everything else. */
    private List<JsonObject> sync(Slot s) {
        String id = "sync-" + (++serial);
        s.line.send("{\"type\":\"ping\",\"id\":\"" + id + "\"}");
        List<JsonObject> answers = new ArrayList<>();
        List<JsonObject> relays = new ArrayList<>();
        while (true) {
            JsonObject m = s.line.next();
            checkShape(m);
            String type = m.getString("type");
            if (type.equals("pong") && m.get("id") instanceof JsonString pong && pong.getString().equals(id)) {
                break;
            }
            (ANSWERS.contains(type) ? answers : relays).add(m);
        }
        checkRelays(s, relays);
        for (JsonObject declined : List.copyOf(s.clientDeclines)) {
            if (relays.remove(declined)) {
                s.clientDeclines.remove(declined);
            }
        }
        s.relays = relays;
        return answers;
    }

    /** Every message the server sends is one PROTOCOL.md lists, with documented codes. */
    private void checkShape(JsonObject m) {
        assertTrue(m.get("type") instanceof JsonString, () -> "a message without a string type: " + m);
        String type = m.getString("type");
        assertTrue(Contract.SERVER_TYPES.contains(type), () -> "undocumented message type: " + m);
        switch (type) {
            case "error" -> {
                assertTrue(Contract.ERROR_CODES.contains(m.getString("code", "")), () -> "undocumented code: " + m);
                assertFalse(m.getString("message", "").isBlank(), () -> "an error without a message: " + m);
                count("answered error " + m.getString("code"));
            }
            case "login" -> {
                if (!m.getBoolean("success")) {
                    assertTrue(Contract.LOGIN_REFUSALS.contains(m.getString("reason", "")),
                            () -> "undocumented login refusal: " + m);
                    count("answered login refused " + m.getString("reason"));
                } else {
                    count("answered login accepted");
                }
            }
            case "pong" -> {
            }
            case "who" -> count("answered who");
            case "ice-servers" -> {
                assertTrue(m.get("iceServers") instanceof jakarta.json.JsonArray, () -> "ice-servers without a list: " + m);
                count("answered ice-servers");
            }
            default -> assertTrue(m.get("name") instanceof JsonString, () -> type + " without a name: " + m);
        }
    }

    private void checkRelays(Slot s, List<JsonObject> relays) {
        for (JsonObject m : relays) {
            String type = m.getString("type");
            if (Set.of("offer", "answer", "candidate").contains(type)) {
                String from = m.getString("name");
                JsonValue payload = m.get(type);
                assertNotNull(payload, () -> "relayed " + type + " without its payload: " + m);
                assertTrue(sent.getOrDefault(from, Set.of()).contains(payload),
                        () -> "#" + s.index + " got a " + type + " that " + from + " never sent: " + m);
            }
            count("received " + type);
        }
        int at = 0;
        for (JsonObject want : s.expected) {
            while (at < relays.size() && !relays.get(at).equals(want)) {
                at++;
            }
            if (at == relays.size()) {
                fail("#" + s.index + " (" + s.name + ") never received " + want + "; got " + relays);
            }
            at++;
            count("relays delivered");
        }
        s.expected.clear();
    }

    private void checkStillOpen() {
        for (Slot s : slots) {
            if (s.line instanceof WsLine ws && !ws.client.isOpen()) {
                int code = ws.awaitClose();
                assertTrue(Contract.CLOSE_CODES.contains(code), "socket #" + s.index + " closed with undocumented "
                        + code);
                fail("socket #" + s.index + " (" + s.name + ") was closed by the server with " + code
                        + " for no documented reason");
            }
        }
    }

    private static JsonObject single(List<JsonObject> answers, String type) {
        assertEquals(1, answers.size(), () -> "expected one " + type + " in answer, got " + answers);
        assertEquals(type, answers.get(0).getString("type"), () -> "expected a " + type + ", got " + answers);
        return answers.get(0);
    }

    private static void expectError(List<JsonObject> answers, String code) {
        assertEquals(code, single(answers, "error").getString("code"), () -> "answers: " + answers);
    }

    private static Optional<String> errorIn(List<JsonObject> answers) {
        if (answers.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(single(answers, "error").getString("code"));
    }

    private static void refusedWith(JsonObject reply, String reason) {
        assertFalse(reply.getBoolean("success"), () -> "expected refusal " + reason + ", got " + reply);
        assertEquals(reason, reply.getString("reason"), () -> "login reply " + reply);
    }

    private static void checkId(Object id, JsonValue echoed) {
        if (id == null) {
            assertTrue(echoed == null || echoed == JsonValue.NULL, () -> "pong id " + echoed + " for no id");
        } else if (id instanceof String s) {
            assertEquals(s, ((JsonString) echoed).getString());
        } else {
            assertEquals(0, ((BigDecimal) id).compareTo(((JsonNumber) echoed).bigDecimalValue()),
                    () -> "pong id " + echoed + " for " + id);
        }
    }

    // ---- the model

    private Slot holderOf(String key) {
        for (Slot s : slots) {
            if (s.name != null && Names.key(s.name).equals(key)) {
                return s;
            }
        }
        return null;
    }

    private boolean isDeparting(String key) {
        Long until = departing.get(key);
        return until != null && System.nanoTime() < until;
    }

    /** {@code key}'s calls are no longer certain: it went away, or resumed. */
    private void forgetPairs(String key) {
        pairs.removeIf(pair -> {
            if (pair.contains(key)) {
                maybe.add(pair);
                return true;
            }
            return false;
        });
    }

    private void connected(Slot s) {
        if (s.line == null) {
            s.line = new WsLine(server.connect());
            count("connections");
        }
    }

    private static JsonValue payloadOf(ClientMessage message) {
        if (message instanceof ClientMessage.Offer offer) {
            return offer.offer();
        } else if (message instanceof ClientMessage.Answer answer) {
            return answer.answer();
        } else if (message instanceof ClientMessage.Candidate candidate) {
            return candidate.candidate() == null ? JsonValue.NULL : candidate.candidate();
        }
        return null;
    }

    private static String targetOf(ClientMessage message) {
        if (message instanceof ClientMessage.Offer m) {
            return m.name();
        } else if (message instanceof ClientMessage.Answer m) {
            return m.name();
        } else if (message instanceof ClientMessage.Candidate m) {
            return m.name();
        } else if (message instanceof ClientMessage.Leave m) {
            return m.name();
        }
        return ((ClientMessage.Decline) message).name();
    }

    private static Set<String> names(JsonObject loginReply) {
        Set<String> names = new HashSet<>();
        loginReply.getJsonArray("users").forEach(v -> names.add(((JsonString) v).getString()));
        return names;
    }

    private void count(String what) {
        counts.merge(what, 1, Integer::sum);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- the two kinds of socket

    /** A socket as the fleet uses it. */
    private interface Line {
        void send(String text);

        JsonObject next();

        /** The close code the server sent; fails if it does not close. */
        int awaitClose();

        /** Close cleanly (a library socket) or vanish (a raw one). */
        void end();
    }

    /** A well-behaved client library socket: clean closes, binary frames. */
    private record WsLine(WsClient client) implements Line {
        @Override
        public void send(String text) {
            client.send(text);
        }

        @Override
        public JsonObject next() {
            return client.next();
        }

        @Override
        public int awaitClose() {
            return client.awaitClose().getCloseCode().getCode();
        }

        @Override
        public void end() {
            client.close();
        }
    }

    /** A raw TCP socket that can vanish without a close handshake. */
    private record RawLine(RawClient client) implements Line {
        @Override
        public void send(String text) {
            client.send(text);
        }

        @Override
        public JsonObject next() {
            return client.nextText();
        }

        @Override
        public int awaitClose() {
            return client.awaitClose(WsClient.TIMEOUT.toMillis());
        }

        @Override
        public void end() {
            client.drop();
        }
    }
}
