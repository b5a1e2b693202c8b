package local.textchat.cluster;

import local.textchat.cluster.redis.RedisBus;
import local.textchat.config.ClusterSettings;
import local.textchat.metrics.Metrics;
import local.textchat.registry.Registry;
import local.textchat.registry.Users;

/**
 * Cluster mode's entry point. Kept apart so that a single node never loads a class of the Redis
 * client: only cluster mode calls this, and only {@code cluster.redis} refers to Lettuce.
 */
public final class Cluster {

    private Cluster() {
    }

    /**
     * This node's registry in the cluster that {@code settings} describe, joined, over {@code users};
     * what crosses between the nodes is counted in {@code metrics}.
     */
    public static Registry join(ClusterSettings settings, Users users, int maxUsers, Metrics metrics) {
        ClusterBus bus = new MeteredBus(new RedisBus(settings), metrics);
        return new Registry(users, new ClusterNode(bus, users, maxUsers).start());
    }
}
