package local.textchat.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import local.textchat.protocol.Relay;
import local.textchat.protocol.ServerMessage;

/** The single-node registry: {@link Registry} over {@link Users} and {@link LocalNames}. */
class RegistryTest {

    private static final AtomicInteger IDS = new AtomicInteger();

    /** A connection that only remembers what it was sent. */
    static final class Recorder implements Connection {
        final String id = "c" + IDS.incrementAndGet();
        final List<String> sent = new java.util.concurrent.CopyOnWriteArrayList<>();

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

    private final Registry registry = Registry.local(new Users(), Integer.MAX_VALUE);

    private User claim(String name, Connection c) {
        return ((Claim.Claimed) registry.claim(name, c, null)).user();
    }

    @Test
    void claimFindRelease() {
        Recorder c = new Recorder();
        Claim claim = registry.claim("Alice", c, null);
        User alice = assertInstanceOf(Claim.Claimed.class, claim).user();
        assertEquals(Optional.of(alice), registry.find("ALICE"));
        assertEquals(Optional.of(alice), registry.userOn(c));
        assertInstanceOf(Claim.Taken.class, registry.claim("alice", new Recorder(), null));
        assertInstanceOf(Claim.AlreadyLoggedIn.class, registry.claim("other", c, null));
        Departure d = registry.release(c).orElseThrow();
        assertEquals(alice, d.user());
        assertTrue(registry.find("alice").isEmpty());
        assertTrue(registry.release(c).isEmpty(), "releasing twice frees nothing more");
        assertEquals(0, registry.size());
    }

    @Test
    void theDirectoryListsUsersInNameOrderByPrefix() {
        User me = claim("me", new Recorder());
        for (String name : List.of("Bob", "alice", "Alfred", "carol", "ALBERT")) {
            claim(name, new Recorder());
        }
        Users users = registry.users();
        assertEquals(List.of("ALBERT", "Alfred", "alice", "Bob", "carol"),
                users.ordered("", 10, me).stream().map(User::name).toList());
        assertEquals(List.of("ALBERT", "Alfred"), users.ordered("aL", 2, me).stream().map(User::name).toList());
        assertEquals(3, users.countPrefix("AL", me));
        assertEquals(5, users.countPrefix("", me));
        assertEquals(List.of(), users.ordered("z", 10, me));
    }

    @Test
    void aPeerIsFoundByNameInAnyCaseAndOnlyWhileInACall() {
        User me = claim("me", new Recorder());
        User strasse = claim("Straße", new Recorder());
        User other = claim("other", new Recorder());
        assertEquals(Optional.empty(), registry.peerNamed(me, "Straße"), "online but not in a call");
        assertEquals(Pairing.PAIRED, registry.pair(me, strasse, 8));
        assertEquals(Optional.of(strasse), registry.peerNamed(me, "Straße"));
        assertEquals(Optional.of(strasse), registry.peerNamed(me, "STRASSE"));
        assertEquals(Optional.empty(), registry.peerNamed(me, "other"));
        assertEquals(Optional.of(me), registry.peerNamed(strasse, "ME"));
        registry.unpair(me, strasse);
        assertEquals(Optional.empty(), registry.peerNamed(me, "Straße"));
        assertTrue(registry.find("other").isPresent() && registry.find("other").get() == other);
    }

    @Test
    void pairingsAreSymmetricAndEndOnRelease() {
        Recorder ca = new Recorder();
        User a = claim("a", ca);
        User b = claim("b", new Recorder());
        User c = claim("c", new Recorder());
        assertEquals(Pairing.PAIRED, registry.pair(a, b, 8));
        assertEquals(Pairing.PAIRED, registry.pair(a, c, 8));
        assertTrue(registry.paired(b, a));
        Departure d = registry.release(ca).orElseThrow();
        assertEquals(2, d.formerPeers().size());
        assertFalse(registry.paired(b, a));
        assertFalse(registry.paired(c, a));
    }

    @Test
    void aUserHasAtMostTheLimitOfCallsOnEitherSide() {
        User a = claim("a", new Recorder());
        User b = claim("b", new Recorder());
        User c = claim("c", new Recorder());
        User d = claim("d", new Recorder());
        assertEquals(Pairing.PAIRED, registry.pair(a, b, 2));
        assertEquals(Pairing.PAIRED, registry.pair(a, c, 2));
        assertEquals(Pairing.BUSY, registry.pair(a, d, 2), "the caller has its two calls");
        assertEquals(Pairing.BUSY, registry.pair(d, a, 2), "the callee has its two calls");
        assertFalse(registry.paired(a, d));
        assertEquals(Pairing.PAIRED, registry.pair(a, b, 2), "a call they are in stays: a renegotiation");
        registry.unpair(a, c);
        assertEquals(Pairing.PAIRED, registry.pair(d, a, 2), "a call ended frees its place");
    }

    @Test
    void aReleasedUserCannotBePaired() {
        Recorder ca = new Recorder();
        User a = claim("a", ca);
        User b = claim("b", new Recorder());
        registry.release(ca);
        assertEquals(Pairing.GONE, registry.pair(a, b, 8));
        assertFalse(registry.paired(b, a));
    }

    @Test
    void aNewcomerWithAnOldNameInheritsNoPairing() {
        Recorder ca = new Recorder();
        User a = claim("a", ca);
        User b = claim("b", new Recorder());
        registry.pair(a, b, 8);
        registry.release(ca);
        User a2 = claim("a", new Recorder());
        assertFalse(registry.paired(b, a2));
    }

    @Test
    void theRightTokenResumesTheUserWithItsPairings() {
        Recorder old = new Recorder();
        User a = claim("a", old);
        User b = claim("b", new Recorder());
        registry.pair(a, b, 8);
        String token = a.token();
        assertEquals(22, token.length(), "128 bits, base64url");
        Recorder fresh = new Recorder();
        Claim.Resumed resumed = assertInstanceOf(Claim.Resumed.class, registry.claim("A", fresh, token));
        assertEquals(a, resumed.user());
        assertEquals(old, resumed.previous());
        assertEquals(fresh, a.connection());
        assertTrue(registry.paired(b, a));
        assertTrue(registry.userOn(old).isEmpty());
        assertEquals(Optional.of(a), registry.userOn(fresh));
        assertFalse(token.equals(a.token()), "the token rotates on every login");
        assertInstanceOf(Claim.Taken.class, registry.claim("a", new Recorder(), token), "an old token is spent");
    }

    @Test
    void aWrongTokenIsAPlainClaim() {
        claim("a", new Recorder());
        assertInstanceOf(Claim.Taken.class, registry.claim("a", new Recorder(), "guess"));
        Claim.Claimed fresh = assertInstanceOf(Claim.Claimed.class, registry.claim("z", new Recorder(), "guess"));
        assertTrue(fresh.user().token() != null);
    }

    @Test
    void aSuspendedUserKeepsNameAndPairingsUntilItExpires() {
        Recorder ca = new Recorder();
        User a = claim("a", ca);
        User b = claim("b", new Recorder());
        registry.pair(a, b, 8);
        assertEquals(Optional.of(a), registry.suspend(ca));
        assertInstanceOf(Claim.Taken.class, registry.claim("a", new Recorder(), null));
        assertTrue(registry.paired(b, a));
        Departure d = registry.expire(a, ca).orElseThrow();
        assertEquals(List.of(b), d.formerPeers());
        assertTrue(registry.find("a").isEmpty());
        assertFalse(registry.paired(b, a));
    }

    @Test
    void aResumedUserDoesNotExpire() {
        Recorder ca = new Recorder();
        User a = claim("a", ca);
        registry.suspend(ca);
        registry.claim("a", new Recorder(), a.token());
        assertTrue(registry.expire(a, ca).isEmpty());
        assertEquals(Optional.of(a), registry.find("a"));
    }

    @Test
    void aUserThatResumedAndDroppedAgainWaitsOutItsSecondGracePeriod() {
        Recorder first = new Recorder();
        User a = claim("a", first);
        registry.suspend(first);
        Recorder second = new Recorder();
        registry.claim("a", second, a.token());
        registry.suspend(second);
        assertTrue(registry.expire(a, first).isEmpty(), "the first drop's grace period ended: not this one");
        assertEquals(Optional.of(a), registry.find("a"));
        assertTrue(registry.expire(a, second).isPresent(), "the second drop's grace period frees the name");
        assertTrue(registry.find("a").isEmpty());
    }

    @Test
    void maxUsersIsEnforced() {
        Registry registry = Registry.local(new Users(), 2);
        registry.claim("a", new Recorder(), null);
        registry.claim("b", new Recorder(), null);
        assertInstanceOf(Claim.Full.class, registry.claim("c", new Recorder(), null));
    }

    @Test
    void findNeverAsksBeyondThisNodeButReachMay() {
        assertTrue(registry.find("nobody").isEmpty());
        assertTrue(registry.reach("nobody").isEmpty(), "a single node has nobody elsewhere");
        User alice = claim("Alice", new Recorder());
        assertEquals(Optional.of(alice), registry.reach("ALICE"));
    }

    @Test
    void aRelayToAUserOfThisNodeGoesToTheReceivingSide() {
        List<String> relayed = new ArrayList<>();
        registry.listen(new Registry.Events() {
            @Override
            public void relayed(User from, User to, Relay relay) {
                relayed.add(from.name() + ">" + to.name() + ":" + relay.kind());
            }
        });
        User a = claim("a", new Recorder());
        User b = claim("b", new Recorder());
        registry.route(a, b, Relay.leave(new ServerMessage.Leave("a")));
        assertEquals(List.of("a>b:LEAVE"), relayed);
    }

    @Test
    void aReleasedNameMakesRoomUnderMaxUsers() {
        Registry registry = Registry.local(new Users(), 2);
        Recorder first = new Recorder();
        registry.claim("a", first, null);
        registry.claim("b", new Recorder(), null);
        assertInstanceOf(Claim.Full.class, registry.claim("c", new Recorder(), null));
        registry.release(first);
        assertInstanceOf(Claim.Claimed.class, registry.claim("c", new Recorder(), null));
    }

    @Test
    void concurrentClaimsPairingsAndReleasesLeaveNoResidue() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            futures.add(pool.submit(() -> {
                go.await();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < 20_000; i++) {
                    Recorder c = new Recorder();
                    String name = "n" + random.nextInt(50);
                    if (registry.claim(name, c, null) instanceof Claim.Claimed claimed) {
                        registry.find("n" + random.nextInt(50)).ifPresent(other -> {
                            if (other != claimed.user()) {
                                registry.pair(claimed.user(), other, 8);
                            }
                        });
                        registry.release(c);
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(0, registry.size());
        assertEquals(0, registry.size());
    }
}
