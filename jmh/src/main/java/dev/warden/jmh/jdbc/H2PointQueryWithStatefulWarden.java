package dev.warden.jmh.jdbc;

import org.openjdk.jmh.annotations.Fork;

/**
 * The same query under the same rules plus a stateful policy (jmh/rules/jdbc-stateful: a rate limit
 * counting every statement, a budget, a chain rule), state in process. Compare with
 * {@link H2PointQueryWithWarden} in one run: the difference is what the context stage costs.
 */
@Fork(value = 1, jvmArgsAppend = "-javaagent:agent/target/warden-agent.jar=rules=jmh/rules/jdbc-stateful,receipts=target/jmh-receipts-jdbc-stateful,surfaces=jdbc,log=warn")
public class H2PointQueryWithStatefulWarden extends H2PointQuery {
}
