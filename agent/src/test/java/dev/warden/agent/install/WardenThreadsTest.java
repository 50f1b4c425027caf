package dev.warden.agent.install;

import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.security.MessageDigestSpi;
import java.security.Provider;
import java.security.Security;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A Warden thread's actions pass ungated, so nothing of the host's may run on it through public API: its
 * {@code run()} from another thread, an uncaught-exception handler set on it, a security provider put first. (The host JVM's side of the
 * first: {@code WardenClassesAreNoSwitchEndToEndTest}, technique {@code warden-thread-run-sql}.)
 */
class WardenThreadsTest {

    private final WardenThreads threads = new WardenThreads(null);

    @Test
    void itsWorkRunsOnItselfAloneNotOnACallerOfRun() {
        AtomicBoolean ran = new AtomicBoolean();
        Thread warden = threads.newThread("test", () -> ran.set(true));

        assertThatThrownBy(warden::run).isInstanceOf(IllegalStateException.class);
        assertThat(ran).isFalse();
    }

    @Test
    void itLooksAlgorithmsUpInTheProviderListKeptAtTheStartNotInTheHostsOwnFirst() throws Exception {
        JdkProviderList.keep();
        Security.insertProviderAt(new Impostor(), 1);
        try {
            assertThat(MessageDigest.getInstance("MD5").getProvider().getName()).as("a thread of the host's").isEqualTo("Impostor");
            AtomicReference<String> seen = new AtomicReference<>();
            Thread warden = threads.newThread("test", () -> {
                try {
                    seen.set(MessageDigest.getInstance("MD5").getProvider().getName());
                } catch (java.security.NoSuchAlgorithmException e) {
                    seen.set(e.toString());
                }
            });
            warden.start();
            warden.join();
            assertThat(seen).hasValue("SUN");
        } finally {
            Security.removeProvider("Impostor");
        }
    }

    /** The host's provider, first in the list: an MD5 of its own. */
    static final class Impostor extends Provider {
        Impostor() {
            super("Impostor", "1.0", "an MD5 of the host's");
            putService(new Service(this, "MessageDigest", "MD5", Object.class.getName(), null, null) {
                @Override
                public Object newInstance(Object parameter) {
                    return new MessageDigestSpi() {
                        @Override
                        protected void engineUpdate(byte input) {
                        }

                        @Override
                        protected void engineUpdate(byte[] input, int offset, int length) {
                        }

                        @Override
                        protected byte[] engineDigest() {
                            return new byte[16];
                        }

                        @Override
                        protected void engineReset() {
                        }
                    };
                }
            });
        }
    }

    @Test
    void whatItsWorkThrowsReachesNoUncaughtExceptionHandler() throws InterruptedException {
        List<Throwable> handed = new CopyOnWriteArrayList<>();
        Thread warden = threads.newThread("test", () -> {
            throw new IllegalStateException("Warden's work failed");
        });
        warden.setUncaughtExceptionHandler((thread, thrown) -> handed.add(thrown)); // as any code may, on any thread

        warden.start();
        warden.join();

        assertThat(handed).isEmpty();
    }
}
