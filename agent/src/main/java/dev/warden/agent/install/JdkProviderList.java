package dev.warden.agent.install;

import dev.warden.agent.logging.WardenLog;

import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The JDK's security-provider list as configured, kept at the agent's start, which Warden's own threads look
 * algorithms up in for their whole life. The libraries Warden runs there ask the list as it is now (Drools hashes a
 * model's name with {@code MessageDigest.getInstance("MD5")}, Chronicle opens a queue with {@code new SecureRandom()}),
 * and the host may have put a provider of its own first ({@code Security.insertProviderAt} is public): its code would
 * run where actions pass ungated. The JDK's own jar verification keeps a list per thread the same way
 * ({@code sun.security.jca.Providers}, exported to Warden's loader alone).
 */
public final class JdkProviderList {
    private static final AtomicBoolean KEPT = new AtomicBoolean();
    private static volatile Object atStart;   // sun.security.jca.ProviderList
    private static volatile Method begin;

    private JdkProviderList() {
    }

    /** Keeps the list as it is now; once, at the start, before the host's {@code main}. Later calls change nothing. */
    public static void keep() {
        if (!KEPT.compareAndSet(false, true)) {
            return;
        }
        try {
            Class<?> providers = Class.forName("sun.security.jca.Providers");
            Object list = providers.getMethod("getProviderList").invoke(null);
            begin = providers.getMethod("beginThreadProviderList", Class.forName("sun.security.jca.ProviderList"));
            atStart = list;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            WardenLog.warn("Warden's threads look security providers up in the list as the application leaves it: " + e);
        }
    }

    /** Has the current thread (one of Warden's) look algorithms up in the list kept at the start. */
    static void useOnThisThread() {
        Object list = atStart;
        if (list == null) {
            return;
        }
        try {
            begin.invoke(null, list);
        } catch (ReflectiveOperationException | RuntimeException e) {
            WardenLog.warn(Thread.currentThread().getName() + " looks security providers up in the list as the application leaves it: " + e);
        }
    }
}
