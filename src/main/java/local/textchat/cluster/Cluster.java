package local.textchat.cluster;

import local.textchat.config.Settings;
import local.textchat.registry.ClusterRegistry;
import local.textchat.registry.Registry;

/**
 * Cluster mode's entry point. Kept apart so that a single node never loads a class of the Redis
 * client: nothing else refers to this package.
 */
public final class Cluster {

    private Cluster() {
    }

    /** This node's registry in the cluster that {@code settings.cluster()} describes, joined. */
    public static Registry join(Settings settings) {
        return new ClusterRegistry(new RedisBus(settings.cluster()), settings.maxUsers()).start();
    }
}
