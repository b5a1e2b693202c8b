package local.textchat.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import local.textchat.protocol.Relay;
import local.textchat.registry.Claim;
import local.textchat.registry.Connection;
import local.textchat.registry.Departure;
import local.textchat.registry.Pairing;
import local.textchat.registry.Registry;
import local.textchat.registry.User;
import local.textchat.registry.Users;
import local.textchat.support.RecordingConnection;

/**
 * Cluster nodes over the {@link MemoryCluster}, where a node's link to the store is cut and healed
 * at exactly the moment the test chooses: what a partition and a resume on another node do to each
 * node's view, checked on the registries themselves (the real-Redis tests check the same end to
 * end over WebSockets, with the timing a real network gives).
 */
class InMemoryClusterTest {

    private static final long LEASE_MILLIS = 1000;

    private final MemoryCluster cluster = new MemoryCluster(LEASE_MILLIS);
    private final List<Node> nodes = new CopyOnWriteArrayList<>();

    /** One node: its registry, the link to the store, and everything its registry reported. */
    private final class Node implements Registry.Events {
        final MemoryCluster.Link link = cluster.link();
        final Users users = new Users();
        final Registry registry = new Registry(users, new ClusterNode(link, users, 100).start());
        final List<String> events = new CopyOnWriteArrayList<>();

        Node() {
            registry.listen(this);
            nodes.add(this);
        }

        User user(String name) {
            return registry.find(name).orElseThrow(() -> new AssertionError(name + " is not known on " + link.node()));
        }

        Claim claim(String name, Connection socket, String token) {
            return registry.claim(name, socket, token);
        }

        @Override
        public void relayed(User from, User to, Relay relay) {
            events.add("relayed " + from.name() + ">" + to.name() + " " + relay.kind());
        }

        @Override
        public void joined(User user) {
            events.add("joined " + user.name());
        }

        @Override
        public void departed(Departure departure) {
            events.add("departed " + departure.user().name() + " " + departure.formerPeers().stream().map(User::name).toList());
        }

        @Override
        public void resumedElsewhere(User user, Connection previous) {
            events.add("resumedElsewhere " + user.name() + " " + previous.id());
        }

        @Override
        public void lost(Departure departure) {
            events.add("lost " + departure.user().name());
        }
    }

    @AfterEach
    void stop() {
        nodes.forEach(node -> node.registry.clear());
        cluster.close();
    }

    @Test
    void aNodeCutOffLongerThanTheLeaseIsBuriedAndComesBackConsistent() {
        Node one = new Node();
        Node two = new Node();
        User alice = assertInstanceOf(Claim.Claimed.class, one.claim("alice", new RecordingConnection(), null)).user();
        User bob = assertInstanceOf(Claim.Claimed.class, two.claim("bob", new RecordingConnection(), null)).user();
        User carol = assertInstanceOf(Claim.Claimed.class, two.claim("carol", new RecordingConnection(), null)).user();
        await(() -> one.registry.find("carol").isPresent() && two.registry.find("alice").isPresent(), "presence");
        // alice is in calls with bob and carol, kept on both nodes.
        assertTrue(one.registry.pair(alice, one.user("bob"), 8) == Pairing.PAIRED && one.registry.pair(alice, one.user("carol"), 8) == Pairing.PAIRED);
        assertTrue(two.registry.pair(bob, two.user("alice"), 8) == Pairing.PAIRED && two.registry.pair(carol, two.user("alice"), 8) == Pairing.PAIRED);

        two.link.cut();
        await(() -> one.events.containsAll(List.of("departed bob [alice]", "departed carol [alice]")),
                "node one buries node two's users within the lease");
        assertTrue(one.registry.find("bob").isEmpty());
        // The cut-off node's names are free: someone on node one takes bob's.
        assertInstanceOf(Claim.Claimed.class, one.claim("bob", new RecordingConnection(), null));

        two.link.heal();
        await(() -> two.events.contains("lost bob"), "node two learns that bob's name went");
        await(() -> two.events.contains("relayed alice>carol LEAVE"), "node two ends carol's call with alice");
        await(() -> one.events.contains("joined carol"), "node two announces carol again");
        assertEquals(Optional.empty(), two.registry.users().withId(bob.id()), "bob is gone from node two");
    }

    /**
     * alice and dave on node one, bob on node two; alice in a call with dave (her own node) and
     * one with bob (the other node); then alice's socket drops, her name held for a resume.
     */
    private final class AliceDropped {
        final Node one = new Node();
        final Node two = new Node();
        final RecordingConnection aliceSocket = new RecordingConnection();
        final User alice = assertInstanceOf(Claim.Claimed.class, one.claim("alice", aliceSocket, null)).user();
        final User dave = assertInstanceOf(Claim.Claimed.class, one.claim("dave", new RecordingConnection(), null)).user();
        final User bob = assertInstanceOf(Claim.Claimed.class, two.claim("bob", new RecordingConnection(), null)).user();

        AliceDropped() {
            await(() -> one.registry.find("bob").isPresent() && two.registry.find("dave").isPresent(), "presence");
            assertTrue(one.registry.pair(alice, dave, 8) == Pairing.PAIRED);
            assertTrue(one.registry.pair(alice, one.user("bob"), 8) == Pairing.PAIRED
                    && two.registry.pair(bob, two.user("alice"), 8) == Pairing.PAIRED);
            one.registry.suspend(aliceSocket);
        }

        /** alice, resumed on node two as {@code aliceOnTwo}, kept both calls, and node one handed her over. */
        void assertCallsWentAlong(User aliceOnTwo) {
            assertTrue(two.registry.paired(aliceOnTwo, bob), "the call with bob (now on the same node) goes on");
            assertTrue(two.registry.paired(aliceOnTwo, two.user("dave")), "the call with dave goes on across the nodes");
            await(() -> one.events.contains("resumedElsewhere alice " + aliceSocket.id()), "node one hands her over");
            assertTrue(alice.remote(), "node one now reaches alice on node two");
            assertTrue(one.registry.paired(dave, alice), "node one keeps dave's side of the call");
            assertTrue(one.registry.peerNamed(alice, "bob").isEmpty(), "node one keeps only its own users' calls");
        }
    }

    @Test
    void aUserResumingOnAnotherNodeTakesItsCallsAlong() {
        AliceDropped at = new AliceDropped();
        RecordingConnection newSocket = new RecordingConnection();
        User aliceOnTwo = assertInstanceOf(Claim.Resumed.class, at.two.claim("alice", newSocket, at.alice.token())).user();

        assertEquals(at.alice.id(), aliceOnTwo.id(), "the same login, moved");
        assertTrue(aliceOnTwo.connection().local());
        assertEquals(Optional.of(aliceOnTwo), at.two.registry.userOn(newSocket));
        at.assertCallsWentAlong(aliceOnTwo);
    }

    @Test
    void aLeaseRenewalBeforeTheTakeoverArrivesDoesNotLoseTheResumingUser() throws Exception {
        AliceDropped at = new AliceDropped();
        // The Takeover waits in node one's inbox while node one renews its leases (every third of a
        // lease): the store already gives alice's name to node two. Seen once in CI, by chance.
        Runnable deliver = at.one.link.hold();
        CompletableFuture<Claim> claim = CompletableFuture.supplyAsync(
                () -> at.two.claim("alice", new RecordingConnection(), at.alice.token()));
        Thread.sleep(LEASE_MILLIS);
        deliver.run();
        User aliceOnTwo = assertInstanceOf(Claim.Resumed.class, claim.get(10, TimeUnit.SECONDS)).user();

        at.assertCallsWentAlong(aliceOnTwo);
        assertFalse(at.one.events.contains("lost alice"), "node one did not take her name for lost: " + at.one.events);
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + 10 * LEASE_MILLIS * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        fail("not within " + 10 * LEASE_MILLIS + " ms: " + what);
    }
}
