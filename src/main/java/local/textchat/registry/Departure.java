package local.textchat.registry;

import java.util.List;

/**
 * What a departure freed: the user and the peers it was in calls with that are on this node
 * (in a cluster, peers on other nodes are told by their own node).
 */
public record Departure(User user, List<User> formerPeers) {
}
