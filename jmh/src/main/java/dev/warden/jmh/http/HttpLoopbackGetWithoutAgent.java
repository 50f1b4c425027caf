package dev.warden.jmh.http;

import org.openjdk.jmh.annotations.Fork;

/** The baseline: no agent. */
@Fork(1)
public class HttpLoopbackGetWithoutAgent extends HttpLoopbackGet {
}
