package dev.warden.bootstrap.jvm;

import dev.warden.bootstrap.ActionDeniedException;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Gate;

import javax.management.ObjectName;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.Set;

/**
 * Warden's MBeans ({@code dev.warden:type=Agent}, {@code dev.warden:type=Surface,name=...}) are the operator's
 * switches, the kill switch among them. Any code in the JVM reaches the platform MBean server through public API, and
 * could unregister them (the operator then finds no switch until a restart: an agent that misbehaves would turn off
 * the control meant to stop it), or register a name of Warden's domain before Warden does, which then cannot register
 * its own. Neither is a decision for the rules: only the MBean objects the agent named ({@link #own}) are registered in
 * the {@code dev.warden} domain, and nothing there is unregistered (Warden never unregisters its own), in any MBean
 * server of the JDK, whatever the policy, the mode and {@code surfaces=}. Not by thread: the registering thread also
 * runs the MBean server's listeners, which are the application's code. Each refusal is recorded as an unreadable
 * {@code jvm} action naming the MBean, and thrown as the {@link SecurityException} the MBean server throws to a caller
 * that may not.
 */
public final class WardenBeans {

    public static final String DOMAIN = "dev.warden";

    private static final Set<Object> OWN = Collections.newSetFromMap(Collections.synchronizedMap(new IdentityHashMap<>()));

    private WardenBeans() {
    }

    /** Names an MBean object of Warden's own, which may then be registered in its domain; only the agent holds the capability. */
    public static void own(Gate.Capability warden, Object bean) {
        Objects.requireNonNull(warden, "the gate's capability");
        OWN.add(Objects.requireNonNull(bean, "bean"));
    }

    /**
     * An MBean about to be registered under {@code name}, the name its {@code preRegister} settled on, its default
     * domain filled in.
     *
     * @param resource the object registered (for an MXBean, the object it was made from)
     */
    public static SecurityException refusalToRegister(Object resource, ObjectName name) {
        return resource != null && OWN.contains(resource) ? null : refusal("register", name);
    }

    /** The MBean {@code name}, its default domain filled in, about to be unregistered. */
    public static SecurityException refusalToUnregister(ObjectName name) {
        return refusal("unregister", name);
    }

    private static SecurityException refusal(String change, ObjectName name) {
        if (name == null) {
            return null; // the MBean server throws before anything changes
        }
        // The server's own copy: a subclass of ObjectName could answer getDomain() otherwise than the name it stands for.
        ObjectName plain = ObjectName.getInstance(name);
        if (!DOMAIN.equals(plain.getDomain())) {
            return null;
        }
        Decision refused;
        try {
            refused = Gate.refuseUnreadable(JvmActions.SURFACE, Decision.failClosed(plain.getCanonicalName()
                    + " is in Warden's own MBean domain: only Warden may " + change + " it (the operator's switches)", null));
        } catch (Throwable failure) {
            refused = Decision.unreadable("could not record a change to Warden's MBeans", failure);
        }
        return new SecurityException(refused.denialMessage(), new ActionDeniedException(refused));
    }
}
