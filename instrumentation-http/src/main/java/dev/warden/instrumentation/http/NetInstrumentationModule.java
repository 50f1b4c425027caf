package dev.warden.instrumentation.http;

import dev.warden.bootstrap.http.NetActions;
import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.instrumentation.api.InstrumentationModule;
import dev.warden.instrumentation.api.TypeInstrumentation;

import java.util.List;

/**
 * The {@code net} surface: every TCP connect, blocking, NIO or NIO.2, that no HTTP decision covers (raw
 * sockets, Netty, database drivers, clients Warden does not know), and the address check of those
 * an HTTP decision does cover; and everything else that leaves the process: datagrams, name lookups,
 * reachability probes, unix-domain socket connects.
 */
public final class NetInstrumentationModule implements InstrumentationModule {

    @Override
    public String surface() {
        return NetActions.SURFACE;
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(new SocketInstrumentation(), new SocketInstrumentation.SocksProxyInstrumentation(), new SocketChannelInstrumentation(),
                new AsynchronousSocketChannelInstrumentation(), new NettyNativeSocketInstrumentation(), new NettyIoUringConnectInstrumentation(),
                new NettyNativeDatagramInstrumentation(), new NettyIoUringDatagramInstrumentation(),
                new DatagramChannelInstrumentation(), new LegacyDatagramSocketInstrumentation(), new InetAddressInstrumentation(),
                new JndiDnsInstrumentation()); // unix sockets: the jvm module's, which is gated with every surfaces=
    }

    @Override
    public ActionEnricher enricher() {
        return new EgressActionEnricher(EgressActionEnricher.NET_FACTS);
    }
}
