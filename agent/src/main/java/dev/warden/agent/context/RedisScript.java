package dev.warden.agent.context;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script the store runs as one atomic step on the server. Sent by its digest (EVALSHA); a
 * server that does not know it yet (new, restarted, its script cache flushed) is sent the text once
 * (EVAL), which also caches it.
 */
final class RedisScript {

    private final String text;
    private final String sha1;

    RedisScript(String text) {
        this.text = text;
        this.sha1 = HexFormat.of().formatHex(dev.warden.bootstrap.JdkCrypto.sha1().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    Object run(Jedis redis, String key, List<String> arguments) {
        try {
            return redis.evalsha(sha1, List.of(key), arguments);
        } catch (JedisNoScriptException unknown) {
            return redis.eval(text, List.of(key), arguments);
        }
    }
}
