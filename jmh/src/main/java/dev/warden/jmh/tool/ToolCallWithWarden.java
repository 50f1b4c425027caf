package dev.warden.jmh.tool;

import org.openjdk.jmh.annotations.Fork;

/** The same tool call under the agent: decision (role policy + classification) and receipt append. Run from the repository root. */
@Fork(value = 1, jvmArgsAppend = "-javaagent:agent/target/warden-agent.jar=rules=jmh/rules/tool,receipts=target/jmh-receipts-tool,surfaces=tool,log=warn")
public class ToolCallWithWarden extends ToolCall {
}
