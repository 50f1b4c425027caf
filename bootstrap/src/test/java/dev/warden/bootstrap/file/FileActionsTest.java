package dev.warden.bootstrap.file;

import dev.warden.bootstrap.ActionDeniedException;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Gate;
import dev.warden.bootstrap.TestGate;
import dev.warden.bootstrap.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the file helper hands the gate, and how a refusal reaches the host. */
class FileActionsTest {

    private final List<ActionRequest> decided = new ArrayList<>();

    @AfterEach
    void uninstall() {
        TestGate.clear();
    }

    private void gateAnswering(Outcome outcome) {
        TestGate.answerAll(outcome, decided);
    }

    @Test
    void anOutputStreamIsAWriteOfTheRawPathWithItsOptions() {
        gateAnswering(Outcome.PERMIT);

        assertThat(FileActions.refusalForOutputStream("work/../out.txt", true)).isNull();

        ActionRequest action = decided.get(0);
        assertThat(action.surface()).isEqualTo("file");
        assertThat(action.operation()).isEqualTo("WRITE");
        assertThat(action.attributes()).containsEntry("file.path.raw", "work/../out.txt")
                .containsEntry("file.options", List.of("WRITE", "CREATE", "APPEND"))
                .containsEntry("file.via", "FileOutputStream");
    }

    @Test
    void aRefusedStreamFailsWithFileNotFoundCarryingTheDecision() {
        gateAnswering(Outcome.DENY);

        FileNotFoundException refusal = FileActions.refusalForOutputStream("/etc/x", false);

        assertThat(refusal).hasMessage("warden: denied by rule: because (receipt receipt-1)")
                .hasCauseInstanceOf(ActionDeniedException.class);
    }

    /** A thirteenth review (2026-12-08): the file JFR hands the JVM is decided when it is handed over, as a write. */
    @Test
    void aFileJfrHasTheJvmWriteIsAWriteDecidedWhenHandedOverAndARefusalIsASecurityException() {
        gateAnswering(Outcome.PERMIT);
        assertThat(FileActions.refusalForJfrOutput("/work/out.jfr")).isNull();
        assertThat(FileActions.refusalForJfrOutput(null)).as("no file: the JVM only closes its output").isNull();
        assertThat(decided).singleElement().satisfies(action -> {
            assertThat(action.operation()).isEqualTo("WRITE");
            assertThat(action.attributes()).containsEntry("file.path.raw", "/work/out.jfr")
                    .containsEntry("file.options", List.of("WRITE", "CREATE")).containsEntry("file.via", "jdk.jfr.setOutput");
        });

        gateAnswering(Outcome.DENY);
        assertThat(FileActions.refusalForJfrOutput("/srv/rules/x.drl")).isInstanceOf(SecurityException.class)
                .hasMessage("warden: denied by rule: because (receipt receipt-1)").hasCauseInstanceOf(ActionDeniedException.class);
    }

    @Test
    void noTwoRequestsAreEqualSoEachIsDescribedAgainstTheDiskAsItIsNow() {
        gateAnswering(Outcome.PERMIT);

        FileActions.refusalForOutputStream("/tmp/same", false);
        FileActions.refusalForOutputStream("/tmp/same", false);

        assertThat(decided.get(0)).isNotEqualTo(decided.get(1));
    }

    @Test
    void readsAreNotDecidedUnlessTheOperatorAsksAndWritesAlwaysAre() {
        gateAnswering(Outcome.DENY);
        Path path = Path.of("/tmp/read-me");

        // (Reads stay ungated in this JVM: gateReads() is one way and other tests run here too.)
        assertThat(FileActions.readsGated()).isFalse();
        assertThat(FileActions.refusalForInputStream("/tmp/read-me")).isNull();
        assertThat(FileActions.refusalForRandomAccess("/tmp/read-me", 1)).isNull();
        assertThat(FileActions.refusalForOpen(path, Set.of(StandardOpenOption.READ), "nio.newByteChannel")).isNull();
        assertThat(decided).isEmpty();

        assertThat(FileActions.refusalForRandomAccess("/tmp/read-me", 2)).isNotNull();
        assertThat(FileActions.refusalForOpen(path, Set.of(StandardOpenOption.APPEND), "nio.newByteChannel"))
                .isInstanceOf(AccessDeniedException.class).hasMessageStartingWith("warden: denied by rule");
        assertThat(FileActions.refusalForOpen(path, Set.of(StandardOpenOption.READ, StandardOpenOption.DELETE_ON_CLOSE),
                "nio.newByteChannel")).as("delete on close deletes a file opened to be read").isNotNull();
        assertThat(decided).extracting(ActionRequest::operation).containsExactly("WRITE", "WRITE", "WRITE");
    }

    @Test
    void optionsAreNamedWithoutCallingTheHostsCode() {
        gateAnswering(Outcome.PERMIT);
        OpenOption custom = new OpenOption() {
            @Override
            public String toString() {
                throw new AssertionError("the host's toString was called");
            }
        };

        FileActions.refusalForOpen(Path.of("/tmp/x"), new java.util.LinkedHashSet<>(List.of(StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS, custom)), "nio.newByteChannel");

        assertThat(decided.get(0).attribute("file.options")).asList()
                .containsExactly("WRITE", "NOFOLLOW_LINKS", "other:" + custom.getClass().getName());
    }

    @Test
    void anOptionSetThatCannotBeReadIsRefusedAndTheHelperStaysUsable() {
        gateAnswering(Outcome.PERMIT);
        Set<OpenOption> throwing = new AbstractSet<>() {
            @Override
            public Iterator<OpenOption> iterator() {
                throw new IllegalStateException("boom");
            }

            @Override
            public int size() {
                return 1;
            }
        };

        assertThatThrownBy(() -> FileActions.trustedCopy(throwing)).isInstanceOf(IllegalStateException.class);
        IOException refusal = FileActions.refusalForOpen(Path.of("/tmp/x"), throwing, "nio.newByteChannel");

        assertThat(refusal).hasMessageContaining("warden.fail-closed", "could not describe", "boom");
        assertThat(FileActions.refusalForOpen(Path.of("/tmp/x"), Set.of(StandardOpenOption.WRITE), "nio.newByteChannel")).isNull();
        // The refusal was recorded (the engine refuses an unreadable request without the rules), then the next open decided.
        assertThat(decided).hasSize(2);
        assertThat(decided.get(0).surface()).isEqualTo("file");
        assertThat(decided.get(0).attribute(Decision.UNREADABLE_ATTRIBUTE)).asString().contains("boom");
        assertThat(decided.get(1).attributes()).containsEntry("file.path.raw", "/tmp/x");
    }

    @Test
    void aFileSubclassIsReadOnceAndReplacedByAPlainFileOfThatPath() {
        File lying = new File("/tmp/allowed") {
            private int calls;

            @Override
            public String getPath() {
                return calls++ == 0 ? "/tmp/allowed/x" : "/etc/passwd";
            }
        };

        File trusted = FileActions.trustedCopy(lying);

        assertThat(trusted.getClass()).isEqualTo(File.class);
        assertThat(trusted.getPath()).isEqualTo("/tmp/allowed/x");
        File plain = new File("/tmp/y");
        assertThat(FileActions.trustedCopy(plain)).isSameAs(plain);
    }

    @Test
    void aFileArgumentThatCannotBeReadIsARecordedRefusalNamingOnlyTheClassOfAnApplicationsException() {
        gateAnswering(Outcome.PERMIT);
        File hostile = new File("/tmp/allowed") {
            @Override
            public String getPath() {
                throw new IllegalStateException() {
                    @Override
                    public String getMessage() {
                        throw new AssertionError("the application's exception was asked for its message");
                    }
                };
            }
        };

        Throwable thrown = null;
        try {
            FileActions.trustedCopy(hostile);
        } catch (Throwable failure) {
            thrown = failure;
        }
        Decision refused = FileActions.failedToDescribe(thrown);

        assertThat(refused.blocks()).isTrue();
        assertThat(refused.reason()).startsWith("could not describe the file action: ").contains("FileActionsTest");
        assertThat(decided).singleElement().satisfies(request -> {
            assertThat(request.surface()).isEqualTo("file");
            assertThat(request.attribute(Decision.UNREADABLE_ATTRIBUTE)).isEqualTo(refused.reason());
        });
    }

    @Test
    void copiesAndLinksCarryBothPathsAndTheirOptions() {
        gateAnswering(Outcome.PERMIT);

        FileActions.refusalForTwo("COPY", Path.of("/tmp/a"), Path.of("b"), new java.nio.file.CopyOption[] {
                StandardCopyOption.REPLACE_EXISTING}, "nio.copy");

        assertThat(decided.get(0).attributes()).containsEntry("file.path.raw", "/tmp/a").containsEntry("file.to.raw", "b")
                .containsEntry("file.options", List.of("REPLACE_EXISTING"));
    }

    @Test
    void aUnixSocketBoundToANameIsAWriteOfThatNameWhichItDoesNotFollowAndAnEmptyNameIsNone() {
        gateAnswering(Outcome.DENY);

        IOException refusal = FileActions.refusalForSocketBind(Path.of("run/app.sock"));
        assertThat(FileActions.refusalForSocketBind(Path.of(""))).isNull();

        assertThat(refusal).isInstanceOf(java.nio.file.AccessDeniedException.class).isNotInstanceOf(java.net.BindException.class);
        assertThat(decided).singleElement().satisfies(action -> {
            assertThat(action.operation()).isEqualTo("WRITE");
            assertThat(action.attributes()).containsEntry("file.path.raw", "run/app.sock")
                    .containsEntry("file.options", List.of("CREATE_NEW", "NOFOLLOW_LINKS"))
                    .containsEntry("file.via", "nio.UnixDomainSockets.bind");
        });
    }

    @Test
    void nettysBindToItsOwnDomainSocketAddressIsThatWriteAndAnyOtherAddressIsRefusedUnreadOrMakesNoFile() {
        gateAnswering(Outcome.PERMIT);
        Object socket = new fake.io.netty.channel.unix.Socket() { };

        assertThat(FileActions.refusalForNettySocketBind(socket, new fake.io.netty.channel.unix.DomainSocketAddress("run/app.sock")))
                .isNull();
        assertThat(FileActions.refusalForNettySocketBind(socket, new java.net.InetSocketAddress(0))).isNull();
        IOException subclass = FileActions.refusalForNettySocketBind(socket,
                new fake.io.netty.channel.unix.DomainSocketAddress("run/app.sock") {
                    @Override
                    public String path() {
                        throw new AssertionError("read");
                    }
                });
        IOException cutAtNul = FileActions.refusalForNettySocketBind(socket,
                new fake.io.netty.channel.unix.DomainSocketAddress("/etc/cron.d/x\0/../../run/app.sock"));

        assertThat(decided).hasSize(3).first().satisfies(action -> {
            assertThat(action.operation()).isEqualTo("WRITE");
            assertThat(action.attributes()).containsEntry("file.path.raw", "run/app.sock")
                    .containsEntry("file.options", List.of("CREATE_NEW", "NOFOLLOW_LINKS"))
                    .containsEntry("file.via", "netty.Socket.bind");
        });
        // Refused as unreadable, and recorded: the subclass never asked for its path, the name a NUL cuts never decided.
        assertThat(subclass).hasMessageContaining("an address of type dev.warden.bootstrap.file.FileActionsTest$");
        assertThat(cutAtNul).hasMessageContaining("could not describe the file action").hasMessageContaining("Nul character");
    }

    @Test
    void thePreferencesLockIsAWriteOfTheCanonicalNameTheNativeOpenReceives(@org.junit.jupiter.api.io.TempDir Path directory)
            throws IOException {
        gateAnswering(Outcome.DENY);
        Path real = directory.toRealPath();
        java.nio.file.Files.createDirectories(real.resolve(".user.lock.x"));

        assertThat(FileActions.refusesPreferencesLock(new File(real.toFile(), ".user.lock.x/../elsewhere.lock"))).isTrue();

        assertThat(decided).singleElement().satisfies(action -> {
            assertThat(action.operation()).isEqualTo("WRITE");
            assertThat(action.attributes()).containsEntry("file.path.raw", real.resolve("elsewhere.lock").toString())
                    .containsEntry("file.via", "java.util.prefs.lockFile");
        });
    }

    @Test
    void warden_sOwnWorkIsNotDecided() {
        gateAnswering(Outcome.DENY);
        TestGate.capability().runInternally(() -> {
            assertThat(FileActions.refusalForOutputStream("/tmp/receipts/x", false)).isNull();
        });
        assertThat(decided).isEmpty();
    }
}
