package dev.warden.jmh.process;

import org.openjdk.jmh.annotations.Fork;

/** The baseline: no agent. */
@Fork(1)
public class ProcessStartWithoutAgent extends ProcessStart {
}
