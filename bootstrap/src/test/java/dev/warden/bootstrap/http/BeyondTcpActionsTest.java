package dev.warden.bootstrap.http;

import dev.warden.bootstrap.ActionDeniedException;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Gate;
import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.TestGate;
import dev.warden.bootstrap.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.naming.NamingException;
import javax.naming.NoPermissionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Datagrams, name lookups, probes and unix sockets: what the rules see, and what a refusal looks like. */
class BeyondTcpActionsTest {

    private final List<ActionRequest> decided = new ArrayList<>();

    @org.junit.jupiter.api.BeforeAll
    static void netIsGated() {
        UnixSocketActions.gateNet(); // as the agent does when net is gated; without it only the attach listener is decided
    }

    @AfterEach
    void uninstall() {
        TestGate.clear();
    }

    private void gateAnswering(Outcome outcome) {
        TestGate.answerAll(outcome, decided);
    }

    @Test
    void aDatagramToAnAddressIsASendOfUdp() throws Exception {
        gateAnswering(Outcome.PERMIT);
        byte[] payload = {1, 2, 3};
        DatagramPacket packet = new DatagramPacket(payload, payload.length, InetAddress.getByName("10.1.2.3"), 8125);

        assertThat(DatagramActions.refusalForSend(scope(), packet, null, "datagram")).isNull();

        ActionRequest action = decided.get(0);
        assertThat(action.surface()).isEqualTo("net");
        assertThat(action.operation()).isEqualTo("SEND");
        assertThat(action.target()).isEqualTo("10.1.2.3");
        assertThat(action.attributes()).containsEntry("net.port", 8125L).containsEntry("net.address", "10.1.2.3")
                .containsEntry("net.via", "datagram").containsEntry("net.protocol", "udp")
                .containsEntry("address.class", "private").doesNotContainKey("url.error");
    }

    @Test
    void aConnectedSocketsDatagramsRideOnItsConnect() throws Exception {
        gateAnswering(Outcome.DENY);
        InetSocketAddress peer = new InetSocketAddress(InetAddress.getLoopbackAddress(), 53);

        assertThat(DatagramActions.refusalForSend(scope(), peer, peer, "datagram-channel")).isNull();
        assertThat(DatagramActions.refusalForSend(scope(), new DatagramPacket(new byte[1], 1), peer, "datagram")).isNull();
        assertThat(DatagramActions.refusalForLegacySend(scope(), new DatagramPacket(new byte[1], 1, peer), peer.getAddress(), 53)).isNull();
        assertThat(decided).isEmpty();

        // Another address on a connected socket is decided: a disconnect may come between check and send.
        InetSocketAddress other = new InetSocketAddress(InetAddress.getLoopbackAddress(), 54);
        assertThat(DatagramActions.refusalForSend(scope(), other, peer, "datagram-channel")).isInstanceOf(NoRouteToHostException.class);
        assertThat(DatagramActions.refusalForLegacySend(scope(), new DatagramPacket(new byte[1], 1, other), peer.getAddress(), 53)).isNotNull();
        assertThat(decided).hasSize(2).allSatisfy(action -> assertThat(action.operation()).isEqualTo("SEND"));
        decided.clear();

        IOException refused = DatagramActions.refusalForConnect(scope(), peer, "datagram-channel");
        assertThat(refused).isInstanceOf(NoRouteToHostException.class).hasCauseInstanceOf(ActionDeniedException.class)
                .hasMessageStartingWith("warden: denied by rule: because");
        assertThat(decided).singleElement().satisfies(action -> assertThat(action.operation()).isEqualTo("CONNECT"));
    }

    @Test
    void destinationsThatCannotBeReachedAsWrittenAreDecidedAsMalformed() {
        gateAnswering(Outcome.SILENCE);
        SocketAddress hostsOwn = new SocketAddress() {
            @Override
            public String toString() {
                throw new AssertionError("the host's address must not be asked anything");
            }
        };

        DatagramActions.refusalForSend(scope(), InetSocketAddress.createUnresolved("nowhere.example", 53), null, "datagram-channel");
        DatagramActions.refusalForSend(scope(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null, "datagram-channel");
        DatagramActions.refusalForSend(scope(), hostsOwn, null, "datagram-channel");

        assertThat(decided).extracting(action -> action.attribute("url.error"))
                .containsExactly("unresolved address", "port 0", "unsupported address type " + hostsOwn.getClass().getName());
    }

    @Test
    void whatCannotBeReadIsRefusedFailClosed() {
        gateAnswering(Outcome.PERMIT);

        IOException datagram = DatagramActions.refusalForSend(scope(), "not an address", null, "datagram");
        NamingException query = NameLookups.refusalForDnsQuery(scope(), new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("unreadable name");
            }
        }, 1, null, null);
        IOException probe = ReachabilityProbes.refusalFor(null, 0);
        IOException unix = UnixSocketActions.refusalFor(unreadablePath());

        assertThat(datagram).hasMessageContaining("warden.fail-closed").hasMessageContaining("could not describe the datagram");
        assertThat(query).isInstanceOf(NoPermissionException.class).hasMessageContaining("unreadable name");
        assertThat(probe).hasMessageContaining("could not describe the reachability probe");
        assertThat(unix).hasMessageContaining("could not describe the unix socket connect");
        // Each refusal is recorded as one Warden could not read, under net, without the rules.
        assertThat(decided).hasSize(4).allSatisfy(request -> {
            assertThat(request.surface()).isEqualTo("net");
            assertThat(request.attributes()).containsKey(Decision.UNREADABLE_ATTRIBUTE);
        });
    }

    @Test
    void aUnixSocketPathOfTheApplicationsOwnClassIsRefusedWithoutCallingIt() {
        gateAnswering(Outcome.PERMIT);
        List<String> called = new ArrayList<>();
        Path hostile = (Path) Proxy.newProxyInstance(Path.class.getClassLoader(), new Class<?>[] {Path.class}, (proxy, method, args) -> {
            called.add(method.getName());
            return method.getName().equals("getFileSystem") ? Path.of("/").getFileSystem() : Path.of("/tmp/permitted.sock");
        });

        IOException refused = UnixSocketActions.refusalFor(hostile);

        assertThat(refused).hasMessageContaining("warden.fail-closed", "a path of the application's own class");
        assertThat(called).isEmpty();
        assertThat(decided).singleElement().satisfies(request -> assertThat(request.attributes()).containsKey(Decision.UNREADABLE_ATTRIBUTE));
    }

    /**
     * Netty's native datagrams leave from JNI: one {@code sendto} is a {@code SEND} to its address, and each packet of a
     * {@code sendmmsg} one to the recipient the native call reads from it (the connected peer's packets aside); a packet
     * of another shape is refused unread. Until an eleventh review (2026-12-07) none of them was decided.
     */
    @Test
    void nettysNativeDatagramsAreSendsToWhereTheNativeCallSendsThem() throws Exception {
        gateAnswering(Outcome.PERMIT);
        assertThat(DatagramActions.refusalForNativeSend(scope(), InetAddress.getByName("10.1.2.3"), 8125, "netty-native")).isNull();
        assertThat(decided).singleElement().satisfies(action -> {
            assertThat(action.operation()).isEqualTo("SEND");
            assertThat(action.target()).isEqualTo("10.1.2.3");
            assertThat(action.attributes()).containsEntry("net.port", 8125L).containsEntry("net.via", "netty-native")
                    .containsEntry("net.protocol", "udp");
        });
        decided.clear();

        fake.io.netty.channel.epoll.NativeDatagramPacketArray array = new fake.io.netty.channel.epoll.NativeDatagramPacketArray();
        Object[] packets = {
                array.new NativeDatagramPacket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9)),
                array.new NativeDatagramPacket(null),
                array.new NativeDatagramPacket(new InetSocketAddress(InetAddress.getByName("169.254.169.254"), 53)),
                array.new NativeDatagramPacket(new InetSocketAddress(InetAddress.getByName("fd00::1"), 514))};
        assertThat(DatagramActions.refusalForNativeSends(scope(), packets, 0, 4, "netty-native")).isNull();
        assertThat(decided).extracting(ActionRequest::target).containsExactly("127.0.0.1", "169.254.169.254", "fd00:0:0:0:0:0:0:1");
        assertThat(decided).extracting(action -> action.attributes().get("address.class"))
                .containsExactly("loopback", "link-local", "private");
        assertThat(decided).extracting(action -> action.attributes().get("net.port")).containsExactly(9L, 53L, 514L);
        decided.clear();

        // Only the packets the call sends: offset and length as Netty passes them.
        assertThat(DatagramActions.refusalForNativeSends(scope(), packets, 2, 1, "netty-native")).isNull();
        assertThat(decided).extracting(ActionRequest::target).containsExactly("169.254.169.254");
        decided.clear();

        // Whatever the rules say, a packet of another shape, or a range past the array, is refused unread.
        assertThat(DatagramActions.refusalForNativeSends(scope(), new Object[] {"not a packet"}, 0, 1, "netty-native"))
                .hasMessageContaining("warden.fail-closed", "could not describe the datagrams");
        assertThat(DatagramActions.refusalForNativeSends(scope(), packets, 3, 2, "netty-native"))
                .hasMessageContaining("warden.fail-closed", "could not describe the datagrams");

        TestGate.clear();
        decided.clear();
        gateAnswering(Outcome.DENY);
        assertThat(DatagramActions.refusalForNativeSends(scope(), packets, 0, 4, "netty-native"))
                .isInstanceOf(NoRouteToHostException.class).hasCauseInstanceOf(ActionDeniedException.class);
        assertThat(decided).as("the first refusal refuses the call").hasSize(1);
    }

    /**
     * A write to Netty's io_uring datagram channel: an envelope of Netty's own is a {@code SEND} to its recipient, a
     * buffer (or an envelope without a recipient) goes to the connected peer, and an envelope of any other class (an
     * application's, whose {@code recipient()} may answer otherwise when the write loop asks) is refused unread.
     * Until a twelfth review (2026-12-07) none of them was decided.
     */
    @Test
    void nettysIoUringWritesAreSendsToTheRecipientOfNettysOwnEnvelopes() throws Exception {
        gateAnswering(Outcome.PERMIT);
        Object channel = new fake.io.netty.incubator.channel.uring.IOUringDatagramChannel();
        InetSocketAddress metadata = new InetSocketAddress(InetAddress.getByName("169.254.169.254"), 53);
        assertThat(DatagramActions.refusalForRingWrite(scope(), channel,
                new fake.io.netty.channel.socket.DatagramPacket("query", metadata), "netty-io_uring")).isNull();
        assertThat(DatagramActions.refusalForRingWrite(scope(), channel,
                new fake.io.netty.channel.DefaultAddressedEnvelope<>("query", new InetSocketAddress(InetAddress.getByName("10.0.0.7"), 514)),
                "netty-io_uring")).isNull();
        assertThat(decided).extracting(ActionRequest::operation, ActionRequest::target, action -> action.attributes().get("net.port"),
                        action -> action.attributes().get("net.via"), action -> action.attributes().get("net.protocol"))
                .containsExactly(tuple("SEND", "169.254.169.254", 53L, "netty-io_uring", "udp"),
                        tuple("SEND", "10.0.0.7", 514L, "netty-io_uring", "udp"));
        decided.clear();

        assertThat(DatagramActions.refusalForRingWrite(scope(), channel, "a buffer, to the connected peer", "netty-io_uring")).isNull();
        assertThat(DatagramActions.refusalForRingWrite(scope(), channel,
                new fake.io.netty.channel.DefaultAddressedEnvelope<>("to the peer", null), "netty-io_uring")).isNull();
        assertThat(decided).isEmpty();

        Object ownSubclass = new fake.io.netty.channel.socket.DatagramPacket("query", metadata) {
            @Override
            public InetSocketAddress recipient() {
                return metadata;
            }
        };
        Object ownEnvelope = new fake.io.netty.channel.AddressedEnvelope<String, InetSocketAddress>() {
            @Override
            public String content() {
                return "query";
            }

            @Override
            public InetSocketAddress recipient() {
                return metadata;
            }
        };
        for (Object envelope : new Object[] {ownSubclass, ownEnvelope}) {
            assertThat(DatagramActions.refusalForRingWrite(scope(), channel, envelope, "netty-io_uring"))
                    .hasMessageContaining("warden.fail-closed", "could not describe the datagram");
        }
        assertThat(DatagramActions.refusalForRingWrite(scope(), "not the channel",
                new fake.io.netty.channel.socket.DatagramPacket("query", metadata), "netty-io_uring"))
                .hasMessageContaining("warden.fail-closed", "could not describe the datagram");
        assertThat(decided).as("each refused unread, with its record").hasSize(3)
                .allSatisfy(action -> assertThat(action.attributes()).containsKey("warden.unreadable"));

        TestGate.clear();
        gateAnswering(Outcome.DENY);
        assertThat(DatagramActions.refusalForRingWrite(scope(), channel,
                new fake.io.netty.channel.socket.DatagramPacket("query", metadata), "netty-io_uring"))
                .isInstanceOf(NoRouteToHostException.class).hasCauseInstanceOf(ActionDeniedException.class);
    }

    /** A unix-domain datagram is a SEND to the socket file its bytes name; bytes that name no file are refused unread. */
    @Test
    void aUnixDatagramIsASendToTheSocketFileItsBytesName() {
        gateAnswering(Outcome.PERMIT);
        assertThat(UnixSocketActions.refusalForDatagram("/run/systemd/journal/socket".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "netty-native")).isNull();
        assertThat(decided).singleElement().satisfies(action -> {
            assertThat(action.operation()).isEqualTo("SEND");
            assertThat(action.target()).startsWith("unix:").endsWith("/socket");
            assertThat(action.attributes()).containsEntry("net.protocol", "unix").containsEntry("net.via", "netty-native");
        });
        decided.clear();

        // An abstract name (a NUL first: no file), and bytes that are not the UTF-8 Netty makes.
        for (byte[] path : List.of("\0/containerd-shim/x.sock".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                new byte[] {'/', 't', 'm', 'p', '/', (byte) 0xff, 's'})) {
            assertThat(UnixSocketActions.refusalForDatagram(path, "netty-native"))
                    .hasMessageContaining("warden.fail-closed", "could not describe the unix socket connect");
        }
        assertThat(decided).hasSize(2).allSatisfy(request -> assertThat(request.attributes()).containsKey(Decision.UNREADABLE_ATTRIBUTE));
    }

    @Test
    void nettysOwnDomainSocketAddressIsAUnixConnectAndAnyOtherAddressTypeIsRefusedUnread() throws Exception {
        gateAnswering(Outcome.PERMIT);
        fake.io.netty.channel.unix.Socket socket = new fake.io.netty.channel.unix.Socket() { };

        assertThat(NetActions.refusalForNativeConnect(netScope(), socket,
                new fake.io.netty.channel.unix.DomainSocketAddress("/var/run/docker.sock"), "netty-native")).isNull();
        assertThat(decided.get(0).target()).isEqualTo("unix:/var/run/docker.sock");
        assertThat(decided.get(0).attributes()).containsEntry("net.via", "netty-native").containsEntry("net.protocol", "unix");

        // A subclass may answer path() differently each time it is asked: never read.
        SocketAddress subclass = new fake.io.netty.channel.unix.DomainSocketAddress("/tmp/permitted.sock") {
            @Override
            public String path() {
                throw new AssertionError("a subclass of the address was read");
            }
        };
        SocketAddress unknown = new SocketAddress() {
            @Override
            public boolean equals(Object other) {
                throw new AssertionError("the application's address was compared");
            }

            @Override
            public int hashCode() {
                throw new AssertionError("the application's address was hashed");
            }

            @Override
            public String toString() {
                throw new AssertionError("the application's address was printed");
            }
        };
        for (SocketAddress address : List.of(subclass, unknown)) {
            assertThat(NetActions.refusalForNativeConnect(netScope(), socket, address, "netty-native"))
                    .hasMessageContaining("warden.fail-closed", "never read");
        }
        assertThat(decided).hasSize(3);
        assertThat(decided.subList(1, 3)).allSatisfy(request -> assertThat(request.attributes()).containsKey(Decision.UNREADABLE_ATTRIBUTE));
    }

    /**
     * An address's name is what the resolver answered for it, or it is decided as the address: getByAddress takes any
     * name, a literal of another address included, for any bytes (a rule permitting {@code db.internal} let the
     * connect reach wherever they led).
     */
    @Test
    void aNameTheResolverNeverAnsweredWithTheAddressIsDecidedAsTheAddress() throws Exception {
        gateAnswering(Outcome.PERMIT);
        InetAddress lie = InetAddress.getByAddress("db.names.test", new byte[] {10, 9, 8, 7});
        InetAddress literalLie = InetAddress.getByAddress("10.1.1.1", new byte[] {10, 9, 8, 7});

        assertThat(NetActions.refusalFor(scope(), new InetSocketAddress(lie, 5432), "socket")).isNull();
        assertThat(NetActions.refusalFor(scope(), new InetSocketAddress(literalLie, 5432), "channel")).isNull();
        assertThat(DatagramActions.refusalForSend(scope(), new InetSocketAddress(lie, 53), null, "datagram-channel")).isNull();
        assertThat(decided).extracting(ActionRequest::target).containsExactly("10.9.8.7", "10.9.8.7", "10.9.8.7");
        assertThat(decided.get(0).attributes()).containsEntry("net.host", "10.9.8.7").containsEntry("net.host.claimed", "db.names.test")
                .containsEntry("net.address", "10.9.8.7").containsEntry("address.class", "private");
        assertThat(decided.get(1).attributes()).containsEntry("net.host.claimed", "10.1.1.1");
        assertThat(decided.get(2).attributes()).containsEntry("net.host.claimed", "db.names.test");
        decided.clear();

        // Once the resolver has answered the name with that address (any spelling of the name), it stands; not for another.
        NameLookups.answered("DB.Names.Test.", new InetAddress[] {InetAddress.getByAddress("db.names.test", new byte[] {10, 9, 8, 7})});
        InetAddress other = InetAddress.getByAddress("db.names.test", new byte[] {10, 9, 8, 6});
        assertThat(NetActions.refusalFor(scope(), new InetSocketAddress(lie, 5432), "socket")).isNull();
        assertThat(NetActions.refusalFor(scope(), new InetSocketAddress(other, 5432), "socket")).isNull();
        assertThat(NetActions.refusalFor(scope(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 80), "socket")).isNull();
        assertThat(NetActions.refusalFor(scope(), new InetSocketAddress(InetAddress.getByAddress("localhost", new byte[] {10, 9, 8, 7}), 80), "socket")).isNull();
        assertThat(NetActions.refusalFor(scope(), new InetSocketAddress("10.9.8.7", 80), "socket")).isNull();
        assertThat(decided).extracting(ActionRequest::target).containsExactly("db.names.test", "10.9.8.6", "localhost", "10.9.8.7", "10.9.8.7");
        assertThat(decided.get(0).attributes()).doesNotContainKey("net.host.claimed");
        assertThat(decided.get(4).attributes()).doesNotContainKey("net.host.claimed");
    }

    @Test
    void aLookupIsAResolveOfTheCanonicalName() {
        gateAnswering(Outcome.SILENCE);

        UnknownHostException refused = NameLookups.refusalFor("Bücher.Example.");

        assertThat(refused).hasMessageStartingWith("warden: denied by rule").hasCauseInstanceOf(ActionDeniedException.class);
        ActionRequest action = decided.get(0);
        assertThat(action.operation()).isEqualTo("RESOLVE");
        assertThat(action.target()).isEqualTo("xn--bcher-kva.example");
        assertThat(action.attributes()).containsEntry("net.via", "inet-address").containsEntry("net.protocol", "dns")
                .containsEntry("address.class", "public");
    }

    @Test
    void wardensOwnLookupsAreNotDecided() {
        gateAnswering(Outcome.DENY);
        TestGate.capability().runInternally(() -> {
            assertThat(NameLookups.refusalFor("api.example.com")).isNull();
            assertThat(UnixSocketActions.refusalFor(Path.of("/var/run/docker.sock"))).isNull();
        });
        assertThat(decided).isEmpty();
    }

    @Test
    void aJndiDnsQueryNamesItsTypeAndServers() throws Exception {
        gateAnswering(Outcome.DENY);

        NamingException refused = NameLookups.refusalForDnsQuery(scope(), "_ldap._tcp.corp.example.", 33,
                new InetAddress[] {InetAddress.getByName("10.0.0.2"), InetAddress.getLoopbackAddress()}, new int[] {53, 5353});

        assertThat(refused).isInstanceOf(NoPermissionException.class);
        assertThat(refused.getRootCause()).isInstanceOf(ActionDeniedException.class);
        assertThat(decided.get(0).target()).isEqualTo("_ldap._tcp.corp.example");
        assertThat(decided.get(0).attributes()).containsEntry("dns.type", "SRV").containsEntry("net.via", "jndi-dns")
                .containsEntry("dns.servers", List.of("10.0.0.2:53", "127.0.0.1:5353"));
    }

    @Test
    void aUnixSocketIsDecidedOnItsAbsolutePath() {
        gateAnswering(Outcome.PERMIT);

        assertThat(UnixSocketActions.refusalFor(Path.of("run/../docker.sock"))).isNull();

        String absolute = Path.of("docker.sock").toAbsolutePath().toString();
        assertThat(decided.get(0).target()).isEqualTo("unix:" + absolute);
        assertThat(decided.get(0).attributes()).containsEntry("net.path", absolute).containsEntry("net.protocol", "unix")
                .containsEntry("net.via", "unix");
    }

    @Test
    void aUnixSocketIsDecidedWhereItsLinksLead(@org.junit.jupiter.api.io.TempDir Path directory) throws Exception {
        gateAnswering(Outcome.PERMIT);
        Path daemon = java.nio.file.Files.createFile(directory.resolve("daemon.sock")).toRealPath();
        Path alias = java.nio.file.Files.createSymbolicLink(directory.resolve("service.sock"), daemon);

        assertThat(UnixSocketActions.refusalFor(alias)).isNull();

        assertThat(decided.get(0).target()).isEqualTo("unix:" + daemon);
        assertThat(decided.get(0).attributes()).containsEntry("net.path", daemon.toString())
                .containsEntry("net.path.named", alias.toAbsolutePath().normalize().toString());
    }

    @Test
    void aProbeIsItsOwnOperation() throws Exception {
        gateAnswering(Outcome.PERMIT);

        ReachabilityProbes.refusalFor(InetAddress.getByAddress("metadata", new byte[] {(byte) 169, (byte) 254, (byte) 169, (byte) 254}), 0);

        assertThat(decided.get(0).operation()).isEqualTo("PROBE");
        assertThat(decided.get(0).target()).isEqualTo("169.254.169.254");
        assertThat(decided.get(0).attributes()).containsEntry("net.host", "metadata").containsEntry("address.class", "link-local");
    }

    private static Path unreadablePath() {
        return (Path) Proxy.newProxyInstance(Path.class.getClassLoader(), new Class<?>[] {Path.class}, (proxy, method, args) -> {
            throw new IllegalStateException("unreadable path");
        });
    }

    private static ActionScope netScope() {
        ActionScope scope = ActionScope.enter(NetActions.SURFACE);
        scope.exit();
        return scope;
    }

    /** A scope of its own for each call, as each advised call opens one (closed at once: nothing encloses the next). */
    private static ActionScope scope() {
        ActionScope scope = ActionScope.enter(DatagramActions.DEPTH);
        scope.exit();
        return scope;
    }
}
