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

import org.junit.jupiter.api.Test;

import local.textchat.protocol.Relay;
import local.textchat.protocol.ServerMessage;
import local.textchat.support.RecordingConnection;

/** The single-node registry: {@link Registry} over {@link Users} and {@link LocalNames}. */
class RegistryTest {

    private final Registry registry = Registry.local(new Users(), Integer.MAX_VALUE);

    private User claim(String name, Connection c) {
        return ((Claim.Claimed) registry.claim(name, c, null)).user();
    }

    @Test
    void claimFindRelease() {
        RecordingConnection c = new RecordingConnection();
        Claim claim = registry.claim("Alice", c, null);
        User alice = assertInstanceOf(Claim.Claimed.class, claim).user();
        assertEquals(Optional.of(alice), registry.find("ALICE"));
        assertEquals(Optional.of(alice), registry.userOn(c));
        assertInstanceOf(Claim.Taken.class, registry.claim("alice", new RecordingConnection(), null));
        assertInstanceOf(Claim.AlreadyLoggedIn.class, registry.claim("other", c, null));
        Departure d = registry.release(c).orElseThrow();
        assertEquals(alice, d.user());
        assertTrue(registry.find("alice").isEmpty());
        assertTrue(registry.release(c).isEmpty(), "releasing twice frees nothing more");
        assertEquals(0, registry.size());
    }

    @Test
    void theDirectoryListsUsersInNameOrderByPrefix() {
        User me = claim("me", new RecordingConnection());
        for (String name : List.of("Bob", "alice", "Alfred", "carol", "ALBERT")) {
            claim(name, new RecordingConnection());
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
        User me = claim("me", new RecordingConnection());
        User strasse = claim("Straße", new RecordingConnection());
        User other = claim("other", new RecordingConnection());
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
        RecordingConnection ca = new RecordingConnection();
        User a = claim("a", ca);
        User b = claim("b", new RecordingConnection());
        User c = claim("c", new RecordingConnection());
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
        User a = claim("a", new RecordingConnection());
        User b = claim("b", new RecordingConnection());
        User c = claim("c", new RecordingConnection());
        User d = claim("d", new RecordingConnection());
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
        RecordingConnection ca = new RecordingConnection();
        User a = claim("a", ca);
        User b = claim("b", new RecordingConnection());
        registry.release(ca);
        assertEquals(Pairing.GONE, registry.pair(a, b, 8));
        assertFalse(registry.paired(b, a));
    }

    @Test
    void aNewcomerWithAnOldNameInheritsNoPairing() {
        RecordingConnection ca = new RecordingConnection();
        User a = claim("a", ca);
        User b = claim("b", new RecordingConnection());
        registry.pair(a, b, 8);
        registry.release(ca);
        User a2 = claim("a", new RecordingConnection());
        assertFalse(registry.paired(b, a2));
    }

    @Test
    void theRightTokenResumesTheUserWithItsPairings() {
        RecordingConnection old = new RecordingConnection();
        User a = claim("a", old);
        User b = claim("b", new RecordingConnection());
        registry.pair(a, b, 8);
        String token = a.token();
        assertEquals(22, token.length(), "128 bits, base64url");
        RecordingConnection fresh = new RecordingConnection();
        Claim.Resumed resumed = assertInstanceOf(Claim.Resumed.class, registry.claim("A", fresh, token));
        assertEquals(a, resumed.user());
        assertEquals(old, resumed.previous());
        assertEquals(fresh, a.connection());
        assertTrue(registry.paired(b, a));
        assertTrue(registry.userOn(old).isEmpty());
        assertEquals(Optional.of(a), registry.userOn(fresh));
        assertFalse(token.equals(a.token()), "the token rotates on every login");
        assertInstanceOf(Claim.Taken.class, registry.claim("a", new RecordingConnection(), token), "an old token is spent");
    }

    @Test
    void aWrongTokenIsAPlainClaim() {
        claim("a", new RecordingConnection());
        assertInstanceOf(Claim.Taken.class, registry.claim("a", new RecordingConnection(), "guess"));
        Claim.Claimed fresh = assertInstanceOf(Claim.Claimed.class, registry.claim("z", new RecordingConnection(), "guess"));
        assertTrue(fresh.user().token() != null);
    }

    @Test
    void aSuspendedUserKeepsNameAndPairingsUntilItExpires() {
        RecordingConnection ca = new RecordingConnection();
        User a = claim("a", ca);
        User b = claim("b", new RecordingConnection());
        registry.pair(a, b, 8);
        assertEquals(Optional.of(a), registry.suspend(ca));
        assertInstanceOf(Claim.Taken.class, registry.claim("a", new RecordingConnection(), null));
        assertTrue(registry.paired(b, a));
        Departure d = registry.expire(a, ca).orElseThrow();
        assertEquals(List.of(b), d.formerPeers());
        assertTrue(registry.find("a").isEmpty());
        assertFalse(registry.paired(b, a));
    }

    @Test
    void aResumedUserDoesNotExpire() {
        RecordingConnection ca = new RecordingConnection();
        User a = claim("a", ca);
        registry.suspend(ca);
        registry.claim("a", new RecordingConnection(), a.token());
        assertTrue(registry.expire(a, ca).isEmpty());
        assertEquals(Optional.of(a), registry.find("a"));
    }

    @Test
    void aUserThatResumedAndDroppedAgainWaitsOutItsSecondGracePeriod() {
        RecordingConnection first = new RecordingConnection();
        User a = claim("a", first);
        registry.suspend(first);
        RecordingConnection second = new RecordingConnection();
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
        registry.claim("a", new RecordingConnection(), null);
        registry.claim("b", new RecordingConnection(), null);
        assertInstanceOf(Claim.Full.class, registry.claim("c", new RecordingConnection(), null));
    }

    @Test
    void findNeverAsksBeyondThisNodeButReachMay() {
        assertTrue(registry.find("nobody").isEmpty());
        assertTrue(registry.reach("nobody").isEmpty(), "a single node has nobody elsewhere");
        User alice = claim("Alice", new RecordingConnection());
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
        User a = claim("a", new RecordingConnection());
        User b = claim("b", new RecordingConnection());
        registry.route(a, b, Relay.leave(new ServerMessage.Leave("a")));
        assertEquals(List.of("a>b:LEAVE"), relayed);
    }

    @Test
    void aReleasedNameMakesRoomUnderMaxUsers() {
        Registry registry = Registry.local(new Users(), 2);
        RecordingConnection first = new RecordingConnection();
        registry.claim("a", first, null);
        registry.claim("b", new RecordingConnection(), null);
        assertInstanceOf(Claim.Full.class, registry.claim("c", new RecordingConnection(), null));
        registry.release(first);
        assertInstanceOf(Claim.Claimed.class, registry.claim("c", new RecordingConnection(), null));
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
                    RecordingConnection c = new RecordingConnection();
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
