package dev.warden.e2e;

import dev.warden.e2e.host.NativeHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code native} surface end to end: hosts that load real libraries (compiled here, each one
 * writing its own marker file from its constructor) every way Java offers, under a policy that
 * permits nothing and under one that permits a single library, and the JDK's own providers (native JGSS, PC/SC,
 * SunPKCS11) told by a system property or a configuration to open one. The markers are the side channel:
 * a library whose marker exists ran code in the host. The foreign-function API exists from JDK 22:
 * on an older host JVM its steps report {@code UNAVAILABLE}, and the tests assert that instead.
 */
class NativeEndToEndTest {

    @TempDir
    Path workspace;

    @Test
    void underDenyAllNoLibraryIsLoadedWhicheverWayTheHostAsks() throws Exception {
        NativeLibraries libraries = new NativeLibraries(workspace);
        List<String> names = List.of("a", "b", "marker_c", "marker_d", "e", "f", "g", "h", "i", "j", "k", "l", "jgss", "pkcs11",
                "smartcardio");
        for (String name : names) {
            libraries.build(name);
        }
        Path nss = libraries.build("nss", workspace.resolve("nss").resolve(System.mapLibraryName("nss3"))).getParent();
        Path link = Files.createDirectories(workspace.resolve("links")).resolve("liblinked.so");
        Files.createSymbolicLink(link, libraries.directory().resolve("libi.so"));
        Receipts store = Receipts.in(workspace);

        // Native code only: the host's own file writes (JNA's temporary files) are the file surface's to test.
        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("empty").with("surfaces=native")
                .env("JAVA_TOOL_OPTIONS", "-Djava.library.path=" + libraries.directory())
                .run(NativeHost.class, List.of(
                        "load|" + lib(libraries, "a"),
                        "runtime-load|" + lib(libraries, "b"),
                        "loadLibrary|marker_c",
                        "runtime-loadLibrary|marker_d",
                        "reflect-load|" + lib(libraries, "e"),
                        "handle-load|" + lib(libraries, "f"),
                        "public-handle-load|" + lib(libraries, "g"),
                        "find-library|" + lib(libraries, "h"),
                        "load|" + link,
                        "jna-libc",
                        "jna-marker|" + lib(libraries, "j"),
                        "ffm-marker|" + lib(libraries, "k"),
                        "ffm-getpid",
                        "ffm-unbound",
                        "claim-exemption|" + lib(libraries, "l"),
                        "jgss|" + lib(libraries, "jgss"),
                        "pkcs11|" + lib(libraries, "pkcs11"),
                        "smartcardio|" + lib(libraries, "smartcardio"),
                        "pkcs11-nss|" + nss));

        assertThat(libraries.ran()).as("markers written by library constructors\n" + host).isEmpty();
        // Step 14: Warden claimed its own loader while it started; the host's claim changes nothing.
        for (int step : new int[] {0, 1, 2, 3, 4, 5, 7, 8, 14}) {
            assertThat(host.step(step)).as(host.toString()).startsWith("DENIED step=" + step + " thrown=java.lang.UnsatisfiedLinkError")
                    .contains("warden: denied by default-deny");
        }
        assertThat(host.step(6)).as("the JDK does not hand a caller-sensitive method to a public lookup")
                .startsWith("ERROR step=6 thrown=java.lang.IllegalAccessException");
        // JNA cannot even start: its own stub is a JNI load, refused; every JNA call after that fails.
        assertThat(host.step(9)).startsWith("DENIED step=9").contains("warden: denied by default-deny");
        assertThat(host.step(10)).doesNotStartWith("OK");
        boolean foreign = feature(host) >= 22;
        if (foreign) {
            assertThat(host.step(11)).startsWith("DENIED step=11 thrown=java.lang.IllegalArgumentException");
            assertThat(host.step(12)).startsWith("DENIED step=12 thrown=java.lang.IllegalCallerException");
            assertThat(host.step(13)).startsWith("DENIED step=13 thrown=java.lang.IllegalCallerException");
        } else {
            assertThat(List.of(host.step(11), host.step(12), host.step(13))).allSatisfy(line -> assertThat(line).endsWith(" ffm"));
        }
        // The JDK's providers, told by a system property or a configuration which library to open, get the failure they
        // already handle: native JGSS starts without native mechanisms, PC/SC is unavailable (the "None" factory),
        // SunPKCS11 does not initialise, with its module or with NSS. With the previous build each library's constructor
        // ran (JDK 17 and 25; PC/SC where the JDK's stub opens the library by name, Temurin's).
        assertThat(host.step(15)).startsWith("OK step=15 mechs=");
        assertThat(host.step(16)).startsWith("DENIED step=16 thrown=java.security.ProviderException").contains("warden: denied by default-deny");
        assertThat(host.step(17)).isEqualTo("OK step=17 type=None");
        assertThat(host.step(18)).startsWith("DENIED step=18 thrown=java.security.ProviderException").contains("warden: denied by default-deny");

        List<Receipt> receipts = store.all();
        assertThat(receipts).allSatisfy(receipt -> {
            assertThat(receipt.surface()).isEqualTo("native");
            assertThat(receipt.outcome()).isEqualTo("SILENCE");
            assertThat(receipt.enforced()).isTrue();
        });
        List<String> loads = receipts.stream().filter(receipt -> "jni".equals(receipt.summary().get("native.via")))
                .map(Receipt::target).toList();
        // One decision per file the JDK was about to map, on its canonical path: the symlink resolved.
        assertThat(loads).containsExactlyInAnyOrder(lib(libraries, "a"), lib(libraries, "b"), lib(libraries, "marker_c"),
                lib(libraries, "marker_d"), lib(libraries, "e"), lib(libraries, "f"), lib(libraries, "h"), lib(libraries, "i"),
                lib(libraries, "l"), jnaStubRefused(receipts));
        assertThat(receipts).filteredOn(receipt -> PROVIDERS.contains(receipt.summary().get("native.via")))
                .extracting(receipt -> receipt.summary().get("native.via") + " " + receipt.operation() + " " + receipt.target())
                .containsExactlyInAnyOrder("jgss LOAD " + lib(libraries, "jgss"), "pkcs11 LOAD " + lib(libraries, "pkcs11"),
                        "smartcardio LOAD " + lib(libraries, "smartcardio"), "pkcs11 LOAD " + nss.resolve(System.mapLibraryName("nss3")));
        assertThat(receipts).filteredOn(receipt -> receipt.summary().containsKey("native.caller"))
                .extracting(receipt -> receipt.summary().get("native.caller"))
                .contains(NativeHost.class.getName(), NativeHost.LoadsLibrary.class.getName(), "com.sun.jna.Native");
        if (foreign) {
            assertThat(receipts).filteredOn(receipt -> "ffm".equals(receipt.summary().get("native.via")))
                    .extracting(Receipt::operation, Receipt::target)
                    .first().isEqualTo(org.assertj.core.groups.Tuple.tuple("LOAD", lib(libraries, "k")));
            assertThat(receipts).filteredOn(receipt -> receipt.operation().equals("LINK")).hasSize(2)
                    .anySatisfy(receipt -> assertThat(receipt.summary().get("native.library")).contains("libc"))
                    .anySatisfy(receipt -> assertThat(receipt.target()).isEqualTo("*"));
        }
        assertThat(store.verify().exitCode()).isZero();
    }

    @Test
    void underLeastPrivilegeThePermittedLibraryLoadsAndRunsAndNothingElseDoes() throws Exception {
        NativeLibraries libraries = new NativeLibraries(workspace);
        for (String name : List.of("permitted", "other1", "other2", "other3", "other4")) {
            libraries.build(name);
        }
        // The permitted file name in directories of its own, one per JDK provider: each has its own marker.
        Path jgss = libraries.build("jgss_permitted", workspace.resolve("jgss/libpermitted.so"));
        Path pkcs11 = libraries.build("pkcs11_permitted", workspace.resolve("pkcs11/libpermitted.so"));
        Path smartcardio = libraries.build("smartcardio_permitted", workspace.resolve("smartcardio/libpermitted.so"));
        Path jna = NativeLibraries.installJnaStub(workspace.resolve("jna"));
        Receipts store = Receipts.in(workspace);

        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("native").with("surfaces=native")
                .env("JAVA_TOOL_OPTIONS", "-Djna.boot.library.path=" + jna.getParent() + " -Djna.nounpack=true")
                .run(NativeHost.class, List.of(
                        "load|" + lib(libraries, "permitted"),
                        "load|" + lib(libraries, "other1"),
                        "jna-marker|" + lib(libraries, "permitted"),
                        "jna-libc",
                        "jna-marker|" + lib(libraries, "other2"),
                        "jna-process",
                        "jna-marker|lib%00permitted.so",
                        "jna-marker|" + "x".repeat(5000),
                        "ffm-marker|" + lib(libraries, "permitted"),
                        "ffm-getpid",
                        "ffm-marker|" + lib(libraries, "other3"),
                        "ffm-lookup|libc.so.6%00",
                        "ffm-disguised|" + lib(libraries, "permitted") + "|" + lib(libraries, "other4"),
                        "jgss|" + jgss,
                        "pkcs11|" + pkcs11,
                        "smartcardio|" + smartcardio));

        // A decision, not a block: the JDK's providers open a permitted library (and then find in it none of the
        // functions they look for, which they report as for any unusable library).
        List<String> ran = new java.util.ArrayList<>(List.of("jgss_permitted", "permitted", "pkcs11_permitted"));
        if (pcscStubOpensTheNamedLibrary()) {
            ran.add("smartcardio_permitted");
        }
        assertThat(libraries.ran()).as(host.toString()).containsExactlyInAnyOrderElementsOf(ran);
        assertThat(host.step(0)).as(host.toString()).isEqualTo("OK step=0 loaded");
        assertThat(host.step(1)).startsWith("DENIED step=1 thrown=java.lang.UnsatisfiedLinkError");
        assertThat(host.step(2)).isEqualTo("OK step=2 answer=42");
        assertThat(host.step(3)).startsWith("DENIED step=3 thrown=java.lang.UnsatisfiedLinkError");
        assertThat(host.step(4)).startsWith("DENIED step=4 thrown=java.lang.UnsatisfiedLinkError");
        assertThat(host.step(5)).startsWith("DENIED step=5 thrown=java.lang.UnsatisfiedLinkError");
        assertThat(host.step(6)).as("bad input: a decision, a refusal").startsWith("DENIED step=6");
        assertThat(host.step(7)).startsWith("DENIED step=7");
        if (feature(host) >= 22) {
            assertThat(host.step(8)).isEqualTo("OK step=8 answer=42");
            assertThat(host.step(9)).startsWith("DENIED step=9 thrown=java.lang.IllegalCallerException");
            assertThat(host.step(10)).startsWith("DENIED step=10 thrown=java.lang.IllegalArgumentException");
            // Bad input: SymbolLookup.libraryLookup refuses a name holding NUL itself, before anything
            // reaches dlopen (or Warden): nothing is opened, so there is nothing to decide.
            assertThat(host.step(11)).startsWith("ERROR step=11 thrown=java.lang.IllegalArgumentException")
                    .contains("Cannot open library: libc.so.6");
            // A Path that calls itself the permitted library: decided on what the JDK opens, its real path.
            assertThat(host.step(12)).startsWith("DENIED step=12 thrown=java.lang.IllegalArgumentException")
                    .contains("no rule permits native LOAD on " + lib(libraries, "other4"));
        } else {
            assertThat(List.of(host.step(8), host.step(9), host.step(10), host.step(11), host.step(12)))
                    .allSatisfy(line -> assertThat(line).endsWith(" ffm"));
        }

        assertThat(host.step(13)).startsWith("OK step=13 mechs=");
        assertThat(host.step(14)).startsWith("ERROR step=14 thrown=java.security.ProviderException");
        assertThat(host.step(15)).isEqualTo("OK step=15 type=None");

        List<Receipt> receipts = store.all();
        assertThat(receipts).filteredOn(receipt -> receipt.outcome().equals("PERMIT"))
                .extracting(receipt -> receipt.summary().get("native.via") + " " + receipt.operation() + " " + receipt.target())
                .contains("jni LOAD " + lib(libraries, "permitted"), "jni LOAD " + jna.toRealPath(),
                        "jna LOAD " + lib(libraries, "permitted"), "jgss LOAD " + jgss, "pkcs11 LOAD " + pkcs11,
                        "smartcardio LOAD " + smartcardio)
                .allSatisfy(line -> assertThat(line).containsAnyOf("libpermitted.so", "libjnidispatch.so", "LINK 0x"));
        assertThat(receipts).filteredOn(receipt -> !receipt.outcome().equals("PERMIT"))
                .extracting(Receipt::target)
                .contains(lib(libraries, "other1"), "c", lib(libraries, "other2"), "<process>", "lib\0permitted.so", "x".repeat(5000));
        assertThat(store.verify().exitCode()).isZero();
    }

    @Test
    void wardensOwnClassLoaderIsNoWayPastTheGate() throws Exception {
        // Host code finds Warden's loader through public JDK API. It held uninstrumented copies of JNA and jnr-ffi, and
        // a library loaded into its table, or a function linked by one of its classes, passed as Warden's own. A class
        // defined beside Warden's bootstrap classes loads into the boot loader's table, which the JDK's own loads use.
        NativeLibraries libraries = new NativeLibraries(workspace);
        for (String name : List.of("permitted", "through_jna", "through_planted", "through_planted_ffm", "through_boot")) {
            libraries.build(name);
        }
        Path jna = NativeLibraries.installJnaStub(workspace.resolve("jna"));
        Receipts store = Receipts.in(workspace);

        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("native").with("surfaces=native")
                .env("JAVA_TOOL_OPTIONS", "-Djna.boot.library.path=" + jna.getParent() + " -Djna.nounpack=true")
                .run(NativeHost.class, List.of(
                        "warden-jna-marker|" + lib(libraries, "through_jna"),
                        "warden-loader-load|" + lib(libraries, "through_planted"),
                        "warden-loader-ffm|" + lib(libraries, "through_planted_ffm"),
                        "load|" + lib(libraries, "permitted"),
                        "boot-loader-load|" + lib(libraries, "through_boot")));

        assertThat(libraries.ran()).as(host.toString()).containsExactly("permitted");
        assertThat(host.step(0)).as("Warden ships no JNA").startsWith("ERROR step=0 thrown=java.lang.ClassNotFoundException")
                .contains("com.sun.jna.NativeLibrary");
        assertThat(host.step(1)).startsWith("DENIED step=1 thrown=java.lang.UnsatisfiedLinkError")
                .contains("no rule permits native LOAD on " + lib(libraries, "through_planted"));
        if (feature(host) >= 22) {
            assertThat(host.step(2)).startsWith("DENIED step=2 thrown=java.lang.IllegalArgumentException")
                    .contains("no rule permits native LOAD on " + lib(libraries, "through_planted_ffm"));
        } else {
            assertThat(host.step(2)).endsWith(" ffm");
        }
        assertThat(host.step(3)).isEqualTo("OK step=3 loaded");
        // A class defined beside Warden's bootstrap classes loads into the boot loader's table, the JDK's own: not JDK code.
        assertThat(host.step(4)).startsWith("DENIED step=4 thrown=java.lang.UnsatisfiedLinkError")
                .contains("no rule permits native LOAD on " + lib(libraries, "through_boot"));
        assertThat(store.all()).filteredOn(receipt -> receipt.target().contains("through_planted") || receipt.target().contains("through_boot"))
                .isNotEmpty()
                .allSatisfy(receipt -> {
                    assertThat(receipt.outcome()).isNotEqualTo("PERMIT");
                    // JDK 18+ calls a caller-sensitive method reflected on through an invoker it defines beside the caller.
                    assertThat(String.valueOf(receipt.summary().get("native.caller"))).matches(".*\\.HostTrampoline(\\$\\$InjectedInvoker/.*)?");
                });
        assertThat(store.verify().exitCode()).isZero();
    }

    @Test
    void aLookupWhosePathThrowsInsideTheJdkLeavesTheGateAsItWas() throws Exception {
        // The advice reads nothing the application made (JNI: the JDK's canonical path; JNA: a String;
        // FFM: the string the JDK hands to dlopen, the JDK's own sealed MemorySegment and
        // FunctionDescriptor), so the one hostile object it could meet, a Path, throws inside the JDK:
        // the host gets the JDK's exception, nothing loads, and the next loads are decided and recorded.
        NativeLibraries libraries = new NativeLibraries(workspace);
        libraries.build("after");
        libraries.build("later");
        Receipts store = Receipts.in(workspace);

        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("empty")
                .run(NativeHost.class, List.of("ffm-hostile-path", "ffm-marker|" + lib(libraries, "after"),
                        "load|" + lib(libraries, "later")));

        if (feature(host) >= 22) {
            assertThat(host.step(0)).as(host.toString())
                    .isEqualTo("ERROR step=0 thrown=java.lang.IllegalStateException message=hostile path: toRealPath");
            assertThat(host.step(1)).startsWith("DENIED step=1 thrown=java.lang.IllegalArgumentException").contains("default-deny");
            assertThat(store.all()).extracting(Receipt::target).containsExactly(lib(libraries, "after"), lib(libraries, "later"));
        } else {
            assertThat(List.of(host.step(0), host.step(1))).as(host.toString()).allSatisfy(line -> assertThat(line).endsWith(" ffm"));
            assertThat(store.all()).extracting(Receipt::target).containsExactly(lib(libraries, "later"));
        }
        assertThat(host.step(2)).startsWith("DENIED step=2 thrown=java.lang.UnsatisfiedLinkError").contains("default-deny");
        assertThat(libraries.ran()).isEmpty();
    }

    @Test
    void theJdksOwnLibrariesLoadUnderDenyAllAndLeaveNoReceipts() throws Exception {
        NativeLibraries libraries = new NativeLibraries(workspace);
        libraries.build("application");
        Receipts store = Receipts.in(workspace);

        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("empty")
                .env("JAVA_TOOL_OPTIONS", "-Djava.awt.headless=true")
                .run(NativeHost.class, List.of("jdk-own", "load|" + lib(libraries, "application")));

        // libmanagement* (loaded by the JDK's own code through its boot loader's table) may already be
        // in the process for Warden's sake; libawt (java.awt's System.loadLibrary) is not. On JDK 25 the
        // text layout links HarfBuzz functions through the foreign-function API: the JDK's downcalls.
        assertThat(host.step(0)).as(host.toString()).startsWith("OK step=0 memory=true png=").contains(" text=true ")
                .contains("libawt.so").contains("libawt_headless.so");
        assertThat(host.step(1)).as("the gate was on in this run").startsWith("DENIED step=1");
        // Only native loads are this test's subject: the JDK's font code may also write its cache under
        // ~/.java/fonts or look the host's name up on a machine where it never ran, and those are
        // file and net actions of their own (refused under deny-all, with their receipts).
        assertThat(store.all()).filteredOn(receipt -> receipt.surface().equals("native"))
                .extracting(Receipt::target).containsExactly(lib(libraries, "application"));
    }

    /** The JDK providers' {@code native.via}. */
    private static final java.util.Set<String> PROVIDERS = java.util.Set.of("jgss", "pkcs11", "smartcardio");

    /**
     * Whether the host JDK's PC/SC stub opens the library {@code sun.security.smartcardio.library} names ({@code dlopen}:
     * Temurin's); Debian's JDK links its stub to the system's {@code libpcsclite} and ignores the name.
     */
    private static boolean pcscStubOpensTheNamedLibrary() throws java.io.IOException {
        Path stub = Path.of(HostJvm.java()).toRealPath().getParent().getParent().resolve("lib/libj2pcsc.so");
        return new String(Files.readAllBytes(stub), java.nio.charset.StandardCharsets.ISO_8859_1).contains("dlopen");
    }

    private static String lib(NativeLibraries libraries, String name) {
        return libraries.directory().resolve("lib" + name + ".so").toString();
    }

    private static int feature(HostJvm.Result host) {
        String first = host.lines().get(0);
        assertThat(first).as(host.toString()).startsWith("JAVA ");
        return Integer.parseInt(first.substring("JAVA ".length()));
    }

    /** The one JNI load the deny-all run makes that is not one of the test's libraries: JNA unpacking and loading its stub. */
    private static String jnaStubRefused(List<Receipt> receipts) {
        return receipts.stream().filter(receipt -> "com.sun.jna.Native".equals(receipt.summary().get("native.caller")))
                .map(Receipt::target).findFirst().orElse("<no receipt for JNA's stub>");
    }
}
