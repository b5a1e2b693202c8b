package local.textchat.cluster;

import java.util.List;


/**
 * What one node of a cluster tells another (to its inbox) or all of them (broadcast), through the
 * {@link ClusterBus}. Messages from one node arrive at each other node in the order they were sent.
 */
public sealed interface Envelope {

    /** A user as every node knows it: its login id, the node its socket is on, its name. */
    record Member(String id, String node, String name) {
    }

    /**
     * To a node: {@code relay} (its kind and its frame, as encoded by the sender's node) from user
     * {@code from} for user {@code to}; the receiving side's rules apply.
     */
    record Relay(Member from, String to, local.textchat.protocol.Relay relay, boolean forwarded) implements Envelope {
    }

    /** To a node: a frame for user {@code to}, from the server itself (an error). */
    record Deliver(String to, String frame, boolean forwarded) implements Envelope {
    }

    /** Broadcast: {@code user} logged in. */
    record Joined(Member user) implements Envelope {
    }

    /** Broadcast: {@code user} went away (closed, or its grace period ran out). */
    record Left(Member user) implements Envelope {
    }

    /** Broadcast: {@code user} resumed on {@code user.node()}; route to it there from now on. */
    record Moved(Member user) implements Envelope {
    }

    /** To the node a user was on: it resumed on {@code newNode}; close its socket and hand over its calls. */
    record Takeover(String user, String newNode) implements Envelope {
    }

    /** To the node a user resumed on: the users it is in calls with (empty if the old node did not know it). */
    record Handoff(String user, List<Member> peers) implements Envelope {
    }

    /** Broadcast: {@code node} (re)joined the cluster; everyone answers with a {@link Roster}. */
    record Hello(String node) implements Envelope {
    }

    /** Broadcast: every user whose socket is on {@code node}; anyone else of that node is gone. */
    record Roster(String node, List<Member> users) implements Envelope {
    }

    /** Broadcast: {@code node} is shutting down; all its users are gone. */
    record Bye(String node) implements Envelope {
    }
}
