package dev.warden.bootstrap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.security.Principal;

/**
 * Spring Security's current authentication ({@code SecurityContextHolder.getContext().getAuthentication()}),
 * when the application has Spring Security: read as Spring's own code reads it (which leaves an empty
 * context on a thread that had none). Only an authenticated, non-anonymous authentication names anyone.
 */
final class SpringAuthentication {

    static final ApplicationApi<SpringAuthentication> API = new ApplicationApi<>(
            "org.springframework.security.core.context.SecurityContextHolder", SpringAuthentication::bind);

    private final MethodHandle context;
    private final MethodHandle authentication;
    private final MethodHandle authenticated;
    private final MethodHandle name;
    private final Class<?> anonymous;

    private SpringAuthentication(MethodHandle context, MethodHandle authentication, MethodHandle authenticated,
                                 MethodHandle name, Class<?> anonymous) {
        this.context = context;
        this.authentication = authentication;
        this.authenticated = authenticated;
        this.name = name;
        this.anonymous = anonymous;
    }

    private static SpringAuthentication bind(Class<?> holder) throws ReflectiveOperationException {
        ClassLoader loader = holder.getClassLoader();
        Class<?> securityContext = Class.forName("org.springframework.security.core.context.SecurityContext", false, loader);
        Class<?> authentication = Class.forName("org.springframework.security.core.Authentication", false, loader);
        Class<?> anonymous;
        try {
            anonymous = Class.forName("org.springframework.security.authentication.AnonymousAuthenticationToken", false, loader);
        } catch (ClassNotFoundException absent) {
            anonymous = null;
        }
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        return new SpringAuthentication(lookup.findStatic(holder, "getContext", MethodType.methodType(securityContext)),
                lookup.findVirtual(securityContext, "getAuthentication", MethodType.methodType(authentication)),
                lookup.findVirtual(authentication, "isAuthenticated", MethodType.methodType(boolean.class)),
                lookup.findVirtual(Principal.class, "getName", MethodType.methodType(String.class)), anonymous);
    }

    /** The current authentication's name, or null: none, anonymous, not authenticated, or unreadable. */
    String authenticatedName() {
        try {
            Object current = context.invoke();
            Object auth = current == null ? null : authentication.invoke(current);
            if (auth == null || (anonymous != null && anonymous.isInstance(auth)) || !(boolean) authenticated.invoke(auth)) {
                return null;
            }
            Object user = name.invoke(auth);
            return user instanceof String && !((String) user).isEmpty() ? (String) user : null;
        } catch (Throwable unreadable) {
            return null; // the authentication is a hint: without it the next source applies
        }
    }
}
