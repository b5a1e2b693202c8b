package local.textchat.registry;

import java.util.List;

/** What {@link Registry#release} freed: the user and the peers it was in calls with. */
public record Departure(User user, List<User> formerPeers) {
}
