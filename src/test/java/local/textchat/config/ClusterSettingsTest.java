package local.textchat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Cluster mode is on exactly when a Redis URL is set; its password never reaches a log line. */
class ClusterSettingsTest {

    private static Settings load(Map<String, String> params) {
        return Settings.load(params::get);
    }

    @Test
    void withoutARedisUrlTheServerIsASingleNode() {
        assertNull(load(Map.of()).cluster());
        assertNull(load(Map.of(Settings.REDIS_URL, "  ")).cluster());
    }

    @Test
    void aRedisUrlTurnsClusterModeOnWithDefaults() {
        ClusterSettings cluster = load(Map.of(Settings.REDIS_URL, "rediss://:s3cret@redis.example.org:6380/2")).cluster();
        assertEquals("rediss://:s3cret@redis.example.org:6380/2", cluster.redisUrl());
        assertEquals("textchat", cluster.prefix());
        assertEquals(15, cluster.leaseSeconds());
    }

    @Test
    void prefixAndLeaseCanBeSet() {
        ClusterSettings cluster = load(Map.of(Settings.REDIS_URL, "redis://127.0.0.1", Settings.REDIS_PREFIX, "chat-eu",
                Settings.CLUSTER_LEASE_SECONDS, "5")).cluster();
        assertEquals("chat-eu", cluster.prefix());
        assertEquals(5, cluster.leaseSeconds());
    }

    @Test
    void thePasswordIsHiddenFromToStringAndErrors() {
        ClusterSettings cluster = load(Map.of(Settings.REDIS_URL, "redis://user:s3cret@10.0.0.5:6379")).cluster();
        assertFalse(cluster.toString().contains("s3cret"), cluster::toString);
        assertFalse(load(Map.of(Settings.REDIS_URL, "redis://user:s3cret@10.0.0.5:6379")).toString().contains("s3cret"));
        assertEquals("redis://***@10.0.0.5:6379", cluster.where());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> load(Map.of(Settings.REDIS_URL, "http://user:s3cret@10.0.0.5")));
        assertFalse(e.getMessage().contains("s3cret"), e::getMessage);
        assertTrue(e.getMessage().contains(Settings.REDIS_URL), e::getMessage);
    }

    @Test
    void aLeaseUnderTwoSecondsIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> load(Map.of(Settings.REDIS_URL, "redis://127.0.0.1", Settings.CLUSTER_LEASE_SECONDS, "1")));
    }
}
