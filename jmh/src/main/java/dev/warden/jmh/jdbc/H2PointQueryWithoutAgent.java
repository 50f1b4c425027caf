package dev.warden.jmh.jdbc;

import org.openjdk.jmh.annotations.Fork;

/** The baseline: no agent. */
@Fork(1)
public class H2PointQueryWithoutAgent extends H2PointQuery {
}
