package dev.warden.jmh.tool;

import org.openjdk.jmh.annotations.Fork;

/** The baseline: no agent. */
@Fork(1)
public class ToolCallWithoutAgent extends ToolCall {
}
