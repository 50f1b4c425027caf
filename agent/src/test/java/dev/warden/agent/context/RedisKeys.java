package dev.warden.agent.context;

import dev.warden.agent.config.StateLocation;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.util.ArrayList;
import java.util.List;

/** A test's keys in a shared Redis: found by their prefix, and deleted after the test. */
public final class RedisKeys {

    private RedisKeys() {
    }

    public static List<String> under(StateLocation location, String prefix) {
        List<String> keys = new ArrayList<>();
        try (Jedis redis = new Jedis(location.host(), location.port())) {
            redis.select(location.database());
            ScanParams matching = new ScanParams().match(prefix.replaceAll("([*?\\[\\]\\\\])", "\\\\$1") + "*").count(1000);
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = redis.scan(cursor, matching);
                keys.addAll(page.getResult());
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
        return keys;
    }

    public static void delete(StateLocation location, String prefix) {
        List<String> keys = under(location, prefix);
        if (keys.isEmpty()) {
            return;
        }
        try (Jedis redis = new Jedis(location.host(), location.port())) {
            redis.select(location.database());
            redis.del(keys.toArray(String[]::new));
        }
    }
}
