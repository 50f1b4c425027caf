package dev.warden.jmh.jdbc;

import org.openjdk.jmh.annotations.Fork;

/**
 * The same query under the agent: decision (pooled Drools) + receipt append per statement. Only the
 * jdbc surface is on: JMH talks to its forks over a loopback socket that net would (rightly) refuse.
 * Run from the repository root.
 */
@Fork(value = 1, jvmArgsAppend = "-javaagent:agent/target/warden-agent.jar=rules=jmh/rules/jdbc,receipts=target/jmh-receipts-jdbc,surfaces=jdbc,log=warn")
public class H2PointQueryWithWarden extends H2PointQuery {
}
