package dev.warden.bootstrap.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Hosts are decided in one canonical spelling, whatever disguise the request used. */
class HostTest {

    @ParameterizedTest(name = "{0} is {1} ({2})")
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1              | 127.0.0.1                   | loopback
            2130706433             | 127.0.0.1                   | loopback
            0x7f000001             | 127.0.0.1                   | loopback
            0X7F000001             | 127.0.0.1                   | loopback
            00.0.0.1               | 0.0.0.1                     | loopback
            127.0.0.01             | 127.0.0.1                   | loopback
            127.1                  | 127.0.0.1                   | loopback
            0x7f.1                 | 127.0.0.1                   | loopback
            127.0.0.1.             | 127.0.0.1                   | loopback
            0.0.0.0                | 0.0.0.0                     | loopback
            [::1]                  | 0:0:0:0:0:0:0:1             | loopback
            [::ffff:127.0.0.1]     | 127.0.0.1                   | loopback
            [::ffff:7f00:1]        | 127.0.0.1                   | loopback
            [::127.0.0.1]          | 0:0:0:0:0:0:7f00:1          | loopback
            [64:ff9b::7f00:1]      | 64:ff9b:0:0:0:0:7f00:1      | loopback
            169.254.169.254        | 169.254.169.254             | link-local
            2852039166             | 169.254.169.254             | link-local
            [::ffff:169.254.169.254] | 169.254.169.254           | link-local
            [fe80::1]              | fe80:0:0:0:0:0:0:1          | link-local
            10.0.0.1               | 10.0.0.1                    | private
            172.16.5.4             | 172.16.5.4                  | private
            192.168.1.1            | 192.168.1.1                 | private
            100.64.0.1             | 100.64.0.1                  | private
            [fd00::1]              | fd00:0:0:0:0:0:0:1          | private
            8.8.8.8                | 8.8.8.8                     | public
            172.32.0.1             | 172.32.0.1                  | public
            localhost              | localhost                   | loopback
            LocalHost.             | localhost                   | loopback
            api.localhost          | api.localhost               | loopback
            Metadata.Google.Internal. | metadata.google.internal | private
            printer.local          | printer.local               | private
            API.Example.COM..      | api.example.com             | public
            bücher.example         | xn--bcher-kva.example       | public
            xn--bcher-kva.example  | xn--bcher-kva.example       | public
            １６９．２５４．１６９．２５４ | 169.254.169.254       | link-local
            ①②⑦.⓪.⓪.①              | 127.0.0.1                   | loopback
            """)
    void seesThroughTheSpelling(String raw, String canonical, String addressClass) {
        Host host = Host.of(raw.strip());
        assertThat(host.error()).isNull();
        assertThat(host.name()).isEqualTo(canonical);
        assertThat(host.addressClass().label()).isEqualTo(addressClass);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0177.0.0.1             | IPv4 address part with a leading zero, octal to some readers and decimal to the JDK
            0127.0.0.1             | IPv4 address part with a leading zero, octal to some readers and decimal to the JDK
            010.0.0.1              | IPv4 address part with a leading zero, octal to some readers and decimal to the JDK
            127.0.0.010            | IPv4 address part with a leading zero, octal to some readers and decimal to the JDK
            127.0.0.09             | IPv4 address part with a leading zero, octal to some readers and decimal to the JDK
            999.1.1.1              | IPv4 address part out of range
            1.2.3.4.5              | more than four parts in an IPv4 address
            4294967296             | IPv4 address out of range
            127.0.0.256            | IPv4 address out of range
            exa..mple.com          | empty or over-long label in host name
            exa mple.com           | invalid character in host name
            %31%32%37.0.0.1        | invalid character in host name
            [::1                   | unbalanced brackets in host
            [127.0.0.1]            | bracketed host is not an IPv6 address
            [::gg]                 | invalid IPv6 address
            .                      | empty host
            """)
    void refusesToGuessAtMalformedHosts(String raw, String error) {
        Host host = Host.of(raw.strip());
        assertThat(host.error()).isEqualTo(error);
        assertThat(host.addressClass()).isEqualTo(AddressClass.UNKNOWN);
    }

    @Test
    void anEmptyOrMissingHostIsAnError() {
        assertThat(Host.of("").error()).isEqualTo("empty host");
        assertThat(Host.of(null).error()).isEqualTo("no host");
    }

    @Test
    void invalidHostsAreRecordedPrintably() {
        assertThat(Host.of("a\u0000b").name()).isEqualTo("a\\u0000b");
        assertThat(Host.of("x".repeat(10_000)).name()).hasSize(256);
    }

    @Test
    void aSpellingIsParsedOnceAndTheCacheStaysBounded() {
        assertThat(Host.of("0x7f000001")).isSameAs(Host.of("0x7f000001"));
        for (int i = 0; i < 10_000; i++) {
            Host.of("host-" + i + ".example");
        }
        assertThat(Host.of("host-9999.example").name()).isEqualTo("host-9999.example");
    }
}
