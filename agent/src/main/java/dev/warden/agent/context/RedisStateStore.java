package dev.warden.agent.context;

import dev.warden.agent.config.StateLocation;
import dev.warden.agent.logging.WardenLog;
import dev.warden.rules.state.Window;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * State several JVMs share, in Redis. Each key's buckets are one hash (a field per bucket), and every
 * check-and-reserve is one Lua script, so the server runs it alone: JVMs and threads racing for the
 * last unit of a limit never both get it. A session's labels are a set. Keys start with a prefix
 * ({@code warden:}), so a Redis that holds other data can hold Warden's too.
 * <p>
 * Every step is bounded by the configured timeout (waiting for a pooled connection, connecting,
 * the answer); a store that is slower, unreachable or refusing throws {@link StateStoreException},
 * and the actions that need it are refused. Nothing is cached between calls, so decisions resume as
 * soon as it answers again. The client starts no thread of its own: the pool has no evictor, and
 * connections are made on the deciding thread, inside the gate's internal section.
 */
public final class RedisStateStore implements StateStore {

    /** What Warden's keys start with in a shared Redis. */
    public static final String PREFIX = "warden:";

    /** A session's labels are forgotten this long after the last one was added. */
    static final Duration SESSION_LABELS_KEPT = Duration.ofDays(7);

    private static final int MAX_CONNECTIONS = 32;

    /** Keeps a key at least {@code ttl} ms more (0: for ever); racing writers only ever extend it. */
    private static final String KEEP = """
            local function keep(key, ttl)
              ttl = tonumber(ttl)
              if ttl == 0 then
                redis.call('PERSIST', key)
              elseif redis.call('PTTL', key) < ttl then
                redis.call('PEXPIRE', key, ttl)
              end
            end
            """;

    /**
     * KEYS[1] the counter; ARGV oldest, current, amount, max, time to live (ms, 0 for ever). Sums the
     * buckets that count, drops those that no longer do, adds the amount to the current bucket only
     * when the sum stays within max. Returns {granted 0|1, sum before}.
     */
    private static final RedisScript ACQUIRE = new RedisScript("""
            local oldest, current = tonumber(ARGV[1]), tonumber(ARGV[2])
            local total = 0
            local fields = redis.call('HGETALL', KEYS[1])
            for i = 1, #fields, 2 do
              local bucket = tonumber(fields[i])
              if bucket == nil or bucket < oldest then
                redis.call('HDEL', KEYS[1], fields[i])
              else
                -- A bucket newer than ours is a caller whose clock read later: it counts too.
                total = total + tonumber(fields[i + 1])
              end
            end
            if total + tonumber(ARGV[3]) > tonumber(ARGV[4]) then
              return {0, total}
            end
            redis.call('HINCRBY', KEYS[1], ARGV[2], ARGV[3])
            """ + KEEP + """
            keep(KEYS[1], ARGV[5])
            return {1, total}
            """);

    /**
     * KEYS[1] the counter; ARGV bucket, delta, time to live. Adds delta to a bucket, never below zero;
     * a bucket that is gone is not given anything back.
     */
    private static final RedisScript ADJUST = new RedisScript("""
            local delta = tonumber(ARGV[2])
            if delta < 0 and redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
              return 0
            end
            if redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2]) <= 0 then
              redis.call('HDEL', KEYS[1], ARGV[1])
            end
            """ + KEEP + """
            keep(KEYS[1], ARGV[3])
            return 1
            """);

    /**
     * Adds {@code KEYS[1]}'s label {@code ARGV[i]} where the set has room ({@value #MAX_LABELS} members), else the
     * marker {@value #TOO_MANY_LABELS} (a label that was never kept is one the session is taken to carry).
     */
    private static final String ADD = """
            local function add(key, label)
              if redis.call('SCARD', key) < %d or redis.call('SISMEMBER', key, label) == 1 then
                redis.call('SADD', key, label)
              else
                redis.call('SADD', key, '%s')
              end
            end
            """.formatted(MAX_LABELS, TOO_MANY_LABELS);

    /** KEYS[1] the session's labels; ARGV labels..., time to live. At most {@value #MAX_LABELS} labels. */
    private static final RedisScript ADD_LABELS = new RedisScript(ADD + """
            for i = 1, #ARGV - 1 do
              add(KEYS[1], ARGV[i])
            end
            redis.call('PEXPIRE', KEYS[1], ARGV[#ARGV])
            return 1
            """);

    /**
     * KEYS[1] the session's labels; ARGV the held members (each {@link #held}), time to live. Held labels are not
     * capped: they are the action's until it settles.
     */
    private static final RedisScript HOLD_LABELS = new RedisScript("""
            for i = 1, #ARGV - 1 do
              redis.call('SADD', KEYS[1], ARGV[i])
            end
            redis.call('PEXPIRE', KEYS[1], ARGV[#ARGV])
            return 1
            """);

    /**
     * KEYS[1] the session's labels; ARGV proceeded (1|0), n, the n held members, the n labels, time to live. Takes the
     * held members off; for an action that ran, adds its labels in their place (at most {@value #MAX_LABELS}), in one
     * step, so that a label is never missing in between.
     */
    private static final RedisScript SETTLE_LABELS = new RedisScript(ADD + """
            local n = tonumber(ARGV[2])
            for i = 1, n do
              redis.call('SREM', KEYS[1], ARGV[2 + i])
            end
            if ARGV[1] == '1' then
              for i = 1, n do
                add(KEYS[1], ARGV[2 + n + i])
              end
              redis.call('PEXPIRE', KEYS[1], ARGV[#ARGV])
            end
            return 1
            """);

    /** What a held label's member starts with, and what separates the action's id from the label. */
    private static final char HELD = '\u0001';

    private final String describe;
    private final String prefix;
    private final Duration timeout;
    private final LongSupplier millis;
    private final JedisPool pool;
    private final AtomicBoolean answering = new AtomicBoolean(true);

    /**
     * @param prefix what every key starts with ({@link #PREFIX}; tests use their own)
     * @param millis the clock the windows are computed with: keys live as long as their newest
     *               bucket counts by that clock, whatever the server's clock says
     */
    public RedisStateStore(StateLocation location, Duration timeout, String prefix, LongSupplier millis) {
        this.describe = location.describe();
        this.prefix = prefix;
        this.timeout = timeout;
        this.millis = millis;
        int bound = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        DefaultJedisClientConfig client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(bound)
                .socketTimeoutMillis(bound)
                .database(location.database())
                .clientName("warden")
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
                .build();
        GenericObjectPoolConfig<Jedis> connections = new GenericObjectPoolConfig<>();
        connections.setMaxTotal(MAX_CONNECTIONS);
        connections.setMaxIdle(MAX_CONNECTIONS);
        connections.setMinIdle(0);
        connections.setBlockWhenExhausted(true);
        connections.setMaxWait(Duration.ofMillis(bound));
        // No evictor: it would be a thread of the pool's own, connecting outside Warden's threads.
        connections.setTimeBetweenEvictionRuns(Duration.ofMillis(-1));
        connections.setTestOnBorrow(false);
        connections.setTestWhileIdle(false);
        connections.setJmxEnabled(false);
        this.pool = new JedisPool(connections, new HostAndPort(location.host(), location.port()), client);
    }

    /** The store's own time ({@code TIME}), in milliseconds since the epoch. */
    public long serverMillis() {
        List<String> time = call(Jedis::time);
        return Long.parseLong(time.get(0)) * 1_000 + Long.parseLong(time.get(1)) / 1_000;
    }

    /**
     * Asks the store once, at start: a store that does not answer is said so on Warden's log (once),
     * and the actions that need it are refused until it answers.
     */
    public void ping() {
        call(Jedis::ping);
    }

    @Override
    public Acquisition acquire(String key, Window.Span span, long amount, long max) {
        List<String> arguments = List.of(Long.toString(span.oldest()), Long.toString(span.current()), Long.toString(amount),
                Long.toString(max), timeToLive(span.expiresAtMillis()));
        List<?> answer = (List<?>) call(redis -> ACQUIRE.run(redis, prefix + key, arguments));
        return new Acquisition(((Long) answer.get(0)) == 1, (Long) answer.get(1), span.current());
    }

    @Override
    public void adjust(String key, long bucket, long expiresAtMillis, long delta) {
        if (delta == 0 || (expiresAtMillis != Long.MAX_VALUE && expiresAtMillis <= millis.getAsLong())) {
            return; // the bucket no longer counts: nothing to give back, nothing to add to
        }
        List<String> arguments = List.of(Long.toString(bucket), Long.toString(delta), timeToLive(expiresAtMillis));
        call(redis -> ADJUST.run(redis, prefix + key, arguments));
    }

    @Override
    public long total(String key, Window.Span span) {
        Map<String, String> buckets = call(redis -> redis.hgetAll(prefix + key));
        long total = 0;
        for (Map.Entry<String, String> bucket : buckets.entrySet()) {
            try {
                long index = Long.parseLong(bucket.getKey());
                // Newer buckets count, as in the acquire script: a clock behind another JVM's, or put back.
                if (index >= span.oldest()) {
                    total += Long.parseLong(bucket.getValue());
                }
            } catch (NumberFormatException notWarden) {
                // not a field Warden wrote: it counts nothing (the next acquire drops it)
            }
        }
        return total;
    }

    @Override
    public Set<String> labels(String session) {
        Set<String> members = call(redis -> redis.smembers(labelsKey(session)));
        Set<String> labels = new java.util.HashSet<>(members.size());
        for (String member : members) {
            // A label an action in flight holds (or one whose settling failed) is the session's too.
            labels.add(member.isEmpty() || member.charAt(0) != HELD ? member : member.substring(member.indexOf(HELD, 1) + 1));
        }
        return Set.copyOf(labels);
    }

    @Override
    public void holdLabels(String session, Collection<String> labels, String actionId) {
        if (labels.isEmpty()) {
            return;
        }
        List<String> arguments = new ArrayList<>(labels.size() + 1);
        for (String label : labels) {
            arguments.add(held(actionId, label));
        }
        arguments.add(Long.toString(SESSION_LABELS_KEPT.toMillis()));
        call(redis -> HOLD_LABELS.run(redis, labelsKey(session), arguments));
    }

    @Override
    public void settleLabels(String session, Collection<String> labels, String actionId, boolean proceeded) {
        if (actionId == null) {
            StateStore.super.settleLabels(session, labels, null, proceeded);
            return;
        }
        List<String> arguments = new ArrayList<>(2 * labels.size() + 3);
        arguments.add(proceeded ? "1" : "0");
        arguments.add(Integer.toString(labels.size()));
        for (String label : labels) {
            arguments.add(held(actionId, label));
        }
        arguments.addAll(labels);
        arguments.add(Long.toString(SESSION_LABELS_KEPT.toMillis()));
        call(redis -> SETTLE_LABELS.run(redis, labelsKey(session), arguments));
    }

    /** A label held for an action in flight: its own member of the set, so that settling takes back only its own. */
    private static String held(String actionId, String label) {
        return HELD + actionId + HELD + label;
    }

    @Override
    public void addLabels(String session, Collection<String> labels) {
        if (labels.isEmpty()) {
            return;
        }
        List<String> arguments = new ArrayList<>(labels);
        arguments.add(Long.toString(SESSION_LABELS_KEPT.toMillis()));
        call(redis -> ADD_LABELS.run(redis, labelsKey(session), arguments));
    }

    @Override
    public String describe() {
        return describe;
    }

    @Override
    public boolean sharedAcrossProcesses() {
        return true;
    }

    @Override
    public void close() {
        pool.close();
    }

    private String labelsKey(String session) {
        return prefix + "labels:" + session;
    }

    /** Milliseconds a counter lives from now by the windows' clock; 0 for ever. */
    private String timeToLive(long expiresAtMillis) {
        if (expiresAtMillis == Long.MAX_VALUE) {
            return "0";
        }
        return Long.toString(Math.max(1, expiresAtMillis - millis.getAsLong()));
    }

    /**
     * Runs commands on a pooled connection, bounded by the store's timeout, for the other parts of the
     * gate that keep state here (approvals); keys start with {@link #prefix()}.
     *
     * @throws StateStoreException when the store cannot answer
     */
    public <T> T command(Function<Jedis, T> command) {
        return call(command);
    }

    public String prefix() {
        return prefix;
    }

    /** Runs one command on a pooled connection; any failure becomes a {@link StateStoreException}. */
    private <T> T call(Function<Jedis, T> command) {
        T answer;
        try (Jedis redis = pool.getResource()) {
            answer = command.apply(redis);
        } catch (RuntimeException failure) {
            String why = why(failure);
            if (connectionLost(failure)) {
                // The other idle connections are most likely as dead (a restarted server): drop them,
                // so that the next action connects afresh rather than failing on each in turn.
                pool.clear();
            }
            if (answering.compareAndSet(true, false)) {
                WardenLog.warn("state store " + describe + " does not answer (" + why
                        + "): the actions that need state are refused until it does");
            }
            throw new StateStoreException(why, failure);
        }
        if (!answering.get() && answering.compareAndSet(false, true)) {
            WardenLog.info("state store " + describe + " answers again");
        }
        return answer;
    }

    private static boolean connectionLost(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof JedisConnectionException) {
                return true;
            }
        }
        return false;
    }

    /** A short reason, for refusals and the log: never the client's stack of wrappers. */
    private String why(Throwable failure) {
        String connection = null;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException) {
                return "no answer within " + timeout.toMillis() + " ms";
            }
            if (cause instanceof NoSuchElementException) {
                return "no connection free within " + timeout.toMillis() + " ms";
            }
            if (cause instanceof JedisDataException) {
                return "refused: " + cause.getMessage();
            }
            // The client tries each address of the name and keeps what went wrong as suppressed.
            for (Throwable attempt : cause.getSuppressed()) {
                if (attempt instanceof SocketTimeoutException) {
                    return "no answer within " + timeout.toMillis() + " ms";
                }
                if (attempt instanceof ConnectException) {
                    return "unreachable (" + attempt.getMessage() + ")";
                }
            }
            if (cause instanceof ConnectException) {
                return "unreachable (" + cause.getMessage() + ")";
            }
            if (cause instanceof JedisConnectionException && connection == null) {
                connection = "connection lost (" + cause.getMessage() + ")";
            }
        }
        if (connection != null) {
            return connection;
        }
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }
}
