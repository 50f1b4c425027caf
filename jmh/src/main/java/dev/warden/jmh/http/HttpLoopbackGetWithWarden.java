package dev.warden.jmh.http;

import org.openjdk.jmh.annotations.Fork;

/** The same GETs under the agent: one decision (pooled Drools) and one receipt per request. Run from the repository root. */
@Fork(value = 1, jvmArgsAppend = "-javaagent:agent/target/warden-agent.jar=rules=jmh/rules/http,receipts=target/jmh-receipts-http,log=warn")
public class HttpLoopbackGetWithWarden extends HttpLoopbackGet {
}
