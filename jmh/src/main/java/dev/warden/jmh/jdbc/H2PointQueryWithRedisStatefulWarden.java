package dev.warden.jmh.jdbc;

import org.openjdk.jmh.annotations.Fork;

/**
 * {@link H2PointQueryWithStatefulWarden} with the state in the Redis on 127.0.0.1:6379
 * ({@code state=redis://...}): every statement's limit check is one Lua script there, a loopback
 * round trip (docs/STATE.md). Its own actor, so that nothing else counts in its limit.
 */
@Fork(value = 1, jvmArgsAppend = "-javaagent:agent/target/warden-agent.jar=rules=jmh/rules/jdbc-stateful,receipts=target/jmh-receipts-jdbc-redis,surfaces=jdbc,log=warn,state=redis://127.0.0.1:6379,state-timeout=1000,actor=jmh-redis")
public class H2PointQueryWithRedisStatefulWarden extends H2PointQuery {
}
