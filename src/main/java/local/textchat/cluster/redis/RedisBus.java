package local.textchat.cluster.redis;

import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;

import local.textchat.config.ClusterSettings;
import local.textchat.cluster.ClusterBus;
import local.textchat.cluster.Envelope;
import local.textchat.registry.Registry;

/**
 * The cluster's shared store and bus in Redis, through Lettuce.
 *
 * <p>Keys: {@code P:name:<key>} holds a name as {@code id\nnode\ntokenHash\nname} with a TTL of one
 * lease, renewed by its node; {@code P:node:<id>} is a node's liveness, same TTL; {@code
 * P:dead:<id>} marks a node the others buried; {@code P:up} and {@code P:recovering} notice a
 * Redis that lost its data (see {@link #NOTICE_WIPE}). Channels: {@code P:inbox:<id>}, one per node,
 * and {@code P:all}. Every check-and-set is a Lua script, so it is atomic.
 *
 * <p>Two connections: one for commands and publishing, so everything this node sends goes out in
 * the order it was sent and arrives in that order; one subscribed to this node's inbox and to the
 * broadcast channel, delivering in order on Lettuce's event loop. While Redis cannot be reached,
 * commands fail at once (instead of queueing for later), Lettuce reconnects every second at most,
 * and each change between reachable and not is logged once.
 */
public final class RedisBus implements ClusterBus {

    private static final System.Logger LOG = System.getLogger(RedisBus.class.getName());
    /** The longest a login (or any command) waits for Redis. */
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** How long a buried node's mark stays, for it to find when it comes back. */
    private static final long TOMBSTONE_MILLIS = TimeUnit.MINUTES.toMillis(10);
    /** Names renewed per script call, so that one call never holds Redis for long. */
    private static final int BATCH = 500;
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Both scripts below start with this. {@code P:up} exists from a cluster's first command on; if
     * it is gone, Redis lost its data (a restart without persistence). If the caller knew of users
     * then, claims are refused for {@link #RECOVERY_MILLIS} ({@code P:recovering}), so that every
     * node can take its users' names again before anyone else can take them.
     */
    private static final String NOTICE_WIPE = """
            local function noticeWipe(up, recovering, knewUsers, recoveryMillis)
              if redis.call('EXISTS', up) == 0 then
                redis.call('SET', up, '1')
                if knewUsers == '1' then
                  redis.call('SET', recovering, '1', 'PX', recoveryMillis)
                end
              end
            end
            """;

    /** How long claims wait after Redis lost its data: enough for every node to reconnect and renew. */
    private static final long RECOVERY_MILLIS = 3000;

    /**
     * KEYS: name, up, recovering. ARGV: value, ttl, presented token hash or '', this node, new token
     * hash, knew of users, recovery time.
     */
    private static final String CLAIM = NOTICE_WIPE + """
            noticeWipe(KEYS[2], KEYS[3], ARGV[6], ARGV[7])
            if redis.call('EXISTS', KEYS[3]) == 1 then
              return {'recovering', ''}
            end
            local cur = redis.call('GET', KEYS[1])
            if not cur then
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
              return {'claimed', ''}
            end
            if ARGV[3] ~= '' then
              local id, node, hash, name = string.match(cur, '^([^\\n]*)\\n([^\\n]*)\\n([^\\n]*)\\n(.*)$')
              if hash == ARGV[3] then
                redis.call('SET', KEYS[1], id .. '\\n' .. ARGV[4] .. '\\n' .. ARGV[5] .. '\\n' .. name, 'PX', ARGV[2])
                return {'resumed', cur}
              end
            end
            return {'taken', cur}
            """;

    /**
     * KEYS: node key, up, recovering, tombstone, names. ARGV: ttl, node id, knew of users, recovery
     * time, then the value of each name. Returns {was buried, lost indexes}.
     */
    private static final String RENEW = NOTICE_WIPE + """
            noticeWipe(KEYS[2], KEYS[3], ARGV[3], ARGV[4])
            local buried = redis.call('DEL', KEYS[4])
            redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[1])
            local lost = {}
            for i = 5, #KEYS do
              local v = ARGV[i]
              local owner = string.match(v, '^[^\\n]*\\n[^\\n]*\\n')
              local cur = redis.call('GET', KEYS[i])
              if (not cur) or string.sub(cur, 1, #owner) == owner then
                redis.call('SET', KEYS[i], v, 'PX', ARGV[1])
              else
                lost[#lost + 1] = i - 5
              end
            end
            return {buried, lost}
            """;

    /** KEYS: names. ARGV: the owner prefix ({@code id\nnode\n}) of each. */
    private static final String RELEASE = """
            local n = 0
            for i = 1, #KEYS do
              local cur = redis.call('GET', KEYS[i])
              if cur and string.sub(cur, 1, #ARGV[i]) == ARGV[i] then
                n = n + redis.call('DEL', KEYS[i])
              end
            end
            return n
            """;

    private final ClusterSettings settings;
    private final String node;
    private final ClientResources resources;
    private final RedisClient client;
    private final String allChannel;
    private final String inboxChannel;
    private final AtomicBoolean up = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile StatefulRedisConnection<String, String> commands;
    private volatile StatefulRedisPubSubConnection<String, String> pubsub;
    private volatile boolean commandsUp;
    private volatile boolean subscribed;
    private volatile boolean warnedUnreachable;
    private volatile Consumer<Envelope> inbox;
    private volatile Runnable onConnected;

    public RedisBus(ClusterSettings settings) {
        this.settings = settings;
        this.node = String.format("%010x", RANDOM.nextLong() & 0xff_ffff_ffffL);
        this.allChannel = settings.prefix() + ":all";
        this.inboxChannel = inbox(node);
        RedisURI uri = RedisURI.create(settings.redisUrl());
        uri.setTimeout(TIMEOUT);
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // Fail at once while disconnected: a login gets its answer, a relay is not delivered late.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                // No timeout on asynchronous commands: one would drop publishes that wait behind a burst.
                // Synchronous calls still give up after the URI's timeout (set above).
                .timeoutOptions(TimeoutOptions.builder().timeoutCommands(false).build())
                .socketOptions(SocketOptions.builder().connectTimeout(TIMEOUT).keepAlive(true).build())
                .build());
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                if (connection == commands) {
                    commandsUp = true;
                    checkUp();
                }
                // The subscriber counts as up once it is subscribed again (see subscribed()).
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                if (connection == commands) {
                    commandsUp = false;
                } else if (connection == pubsub) {
                    subscribed = false;
                }
                checkDown();
            }
        });
    }

    @Override
    public String node() {
        return node;
    }

    @Override
    public void start(Consumer<Envelope> inbox, Runnable connected) {
        this.inbox = inbox;
        this.onConnected = connected;
        connect();
    }

    /** The first connection; until it succeeds, tried again every second (after it, Lettuce reconnects). */
    private void connect() {
        if (closed.get()) {
            return;
        }
        StatefulRedisConnection<String, String> c = null;
        StatefulRedisPubSubConnection<String, String> p = null;
        try {
            c = client.connect();
            p = client.connectPubSub();
            p.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    receive(message);
                }

                @Override
                public void subscribed(String channel, long count) {
                    if (channel.equals(inboxChannel)) {
                        RedisBus.this.subscribed = true;
                        checkUp();
                    }
                }
            });
            commands = c;
            pubsub = p;
            commandsUp = true;
            p.sync().subscribe(inboxChannel, allChannel);
        } catch (RedisException e) {
            closeQuietly(p);
            closeQuietly(c);
            commands = null;
            pubsub = null;
            if (!warnedUnreachable) {
                warnedUnreachable = true;
                LOG.log(Level.WARNING, "cluster node {0}: cannot reach Redis at {1} ({2}); trying every second, "
                        + "logins are refused meanwhile", node, settings.where(), e.getMessage());
            }
            resources.eventExecutorGroup().schedule(this::connect, 1, TimeUnit.SECONDS);
        }
    }

    private void checkUp() {
        if (commandsUp && subscribed && !closed.get() && up.compareAndSet(false, true)) {
            LOG.log(Level.INFO, "cluster node {0}: connected to Redis at {1} (prefix {2}, lease {3} s)", node,
                    settings.where(), settings.prefix(), settings.leaseSeconds());
            warnedUnreachable = false;
            onConnected.run();
        }
    }

    private void checkDown() {
        if (!closed.get() && up.compareAndSet(true, false)) {
            LOG.log(Level.WARNING, "cluster node {0}: lost Redis at {1}; reconnecting. Calls between users of this node "
                    + "go on; logins are refused and users elsewhere are out of reach until it is back", node,
                    settings.where());
        }
    }

    private void receive(String message) {
        EnvelopeCodec.Decoded decoded;
        try {
            decoded = EnvelopeCodec.decode(message);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cluster node {0}: unreadable message on the bus ({1}); ignored", node, e.toString());
            return;
        }
        if (!decoded.origin().equals(node)) {
            inbox.accept(decoded.envelope());
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public ClaimResult claim(Lease lease, String presentedTokenHash, boolean knewUsers) {
        List<Object> result = call(() -> commands.sync().eval(CLAIM, ScriptOutputType.MULTI,
                new String[] {nameKey(lease.key()), upKey(), recoveringKey()}, value(lease), Long.toString(leaseMillis()),
                presentedTokenHash == null ? "" : presentedTokenHash, node, lease.tokenHash(), knewUsers ? "1" : "0",
                Long.toString(RECOVERY_MILLIS)));
        String outcome = (String) result.get(0);
        if (outcome.equals("recovering")) {
            throw new Registry.Unavailable("Redis lost its data; its names are being taken again by their nodes", null);
        }
        Lease previous = parse(lease.key(), (String) result.get(1));
        return switch (outcome) {
            case "claimed" -> new ClaimResult(Outcome.CLAIMED, null);
            case "resumed" -> new ClaimResult(Outcome.RESUMED, previous);
            default -> new ClaimResult(Outcome.TAKEN, previous);
        };
    }

    @Override
    public Optional<Lease> holder(String key) {
        return Optional.ofNullable(parse(key, call(() -> commands.sync().get(nameKey(key)))));
    }

    @Override
    @SuppressWarnings("unchecked")
    public Renewal renew(Collection<Lease> leases, boolean knewUsers) {
        List<Lease> all = new ArrayList<>(leases);
        List<Lease> lost = new ArrayList<>();
        boolean buried = false;
        int from = 0;
        do {
            List<Lease> batch = all.subList(from, Math.min(from + BATCH, all.size()));
            String[] keys = new String[batch.size() + 4];
            String[] args = new String[batch.size() + 4];
            keys[0] = settings.prefix() + ":node:" + node;
            keys[1] = upKey();
            keys[2] = recoveringKey();
            keys[3] = deadKey(node);
            args[0] = Long.toString(leaseMillis());
            args[1] = node;
            args[2] = knewUsers ? "1" : "0";
            args[3] = Long.toString(RECOVERY_MILLIS);
            for (int i = 0; i < batch.size(); i++) {
                keys[i + 4] = nameKey(batch.get(i).key());
                args[i + 4] = value(batch.get(i));
            }
            List<Object> result = call(() -> commands.sync().eval(RENEW, ScriptOutputType.MULTI, keys, args));
            buried |= ((Long) result.get(0)) > 0;
            for (Object index : (List<Object>) result.get(1)) {
                lost.add(batch.get(((Long) index).intValue()));
            }
            from += BATCH;
        } while (from < all.size());
        return new Renewal(lost, buried);
    }

    @Override
    public void release(Lease lease) {
        StatefulRedisConnection<String, String> c = commands;
        if (c != null && !closed.get()) {
            c.async().eval(RELEASE, ScriptOutputType.INTEGER, new String[] {nameKey(lease.key())}, owner(lease));
        }
    }

    @Override
    public Set<String> dead(Set<String> nodes) {
        List<String> ids = List.copyOf(nodes);
        String[] keys = ids.stream().map(id -> settings.prefix() + ":node:" + id).toArray(String[]::new);
        List<KeyValue<String, String>> values = call(() -> commands.sync().mget(keys));
        Set<String> dead = new HashSet<>();
        for (int i = 0; i < values.size(); i++) {
            if (!values.get(i).hasValue()) {
                dead.add(ids.get(i));
            }
        }
        return dead;
    }

    @Override
    public void bury(String deadNode, Collection<Lease> leases) {
        List<Lease> list = List.copyOf(leases);
        call(() -> commands.sync().set(deadKey(deadNode), "1",
                io.lettuce.core.SetArgs.Builder.px(TOMBSTONE_MILLIS)));
        if (!list.isEmpty()) {
            String[] keys = list.stream().map(l -> nameKey(l.key())).toArray(String[]::new);
            String[] owners = list.stream().map(RedisBus::owner).toArray(String[]::new);
            call(() -> commands.sync().eval(RELEASE, ScriptOutputType.INTEGER, keys, owners));
        }
    }

    @Override
    public void send(String toNode, Envelope envelope) {
        StatefulRedisConnection<String, String> c = commands;
        if (c != null && !closed.get()) {
            // Rejected at once while disconnected: messages between nodes are not kept for later.
            c.async().publish(toNode == null ? allChannel : inbox(toNode), EnvelopeCodec.encode(node, envelope));
        }
    }

    @Override
    public boolean connected() {
        return up.get();
    }

    @Override
    public long leaseMillis() {
        return TimeUnit.SECONDS.toMillis(settings.leaseSeconds());
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        StatefulRedisConnection<String, String> c = commands;
        if (c != null) {
            try {
                // Commands run in order, so once this answers, everything sent before it has been done.
                c.sync().ping();
            } catch (RedisException e) {
                // Redis is away: what was not sent expires with the lease.
            }
        }
        closeQuietly(pubsub);
        closeQuietly(c);
        client.shutdown(0, 2, TimeUnit.SECONDS);
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    private <T> T call(Supplier<T> command) {
        if (commands == null) {
            throw new Registry.Unavailable("Redis at " + settings.where() + " has not been reached yet", null);
        }
        try {
            return command.get();
        } catch (RedisException e) {
            throw new Registry.Unavailable("Redis at " + settings.where() + " cannot be reached: " + e.getMessage(), e);
        }
    }

    private String nameKey(String key) {
        return settings.prefix() + ":name:" + key;
    }

    private String upKey() {
        return settings.prefix() + ":up";
    }

    private String recoveringKey() {
        return settings.prefix() + ":recovering";
    }

    private String deadKey(String id) {
        return settings.prefix() + ":dead:" + id;
    }

    private String inbox(String id) {
        return settings.prefix() + ":inbox:" + id;
    }

    private static String value(Lease lease) {
        return owner(lease) + lease.tokenHash() + "\n" + lease.name();
    }

    private static String owner(Lease lease) {
        return lease.user() + "\n" + lease.node() + "\n";
    }

    private static Lease parse(String key, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        String[] f = value.split("\n", 4);
        return new Lease(key, f[0], f[1], f[2], f[3]);
    }

    private static void closeQuietly(StatefulRedisConnection<?, ?> connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (RuntimeException e) {
                // closing anyway
            }
        }
    }
}
