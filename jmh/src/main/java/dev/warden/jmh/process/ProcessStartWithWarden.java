package dev.warden.jmh.process;

import org.openjdk.jmh.annotations.Fork;

/** The same starts under the agent: one decision and one receipt per process. Run from the repository root. */
@Fork(value = 1, jvmArgsAppend = "-javaagent:agent/target/warden-agent.jar=rules=jmh/rules/process,receipts=target/jmh-receipts-process,log=warn")
public class ProcessStartWithWarden extends ProcessStart {
}
