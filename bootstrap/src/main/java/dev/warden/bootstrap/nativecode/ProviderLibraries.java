package dev.warden.bootstrap.nativecode;

import dev.warden.bootstrap.ActionDeniedException;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Gate;

import java.io.File;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Libraries the JDK's own providers open with {@code dlopen} from their native stubs, by a name that data gives them:
 * native JGSS ({@code sun.security.jgss.lib}), {@code java.smartcardio} ({@code sun.security.smartcardio.library}) and
 * SunPKCS11 (a configuration's {@code library=}, and NSS from its {@code nssLibraryDirectory}). The stubs themselves
 * ({@code libj2gss}, {@code libj2pcsc}, {@code libj2pkcs11}) are the JDK's own JNI loads, exempt in {@link NativeActions};
 * the library a stub opens next is not the JDK's, and is a {@code LOAD} decided like any other, in the provider's Java
 * code, on the name it is about to hand to native code. Each refusal is what the provider already meets for a library
 * it cannot open, and handles: JGSS goes without native mechanisms, smart cards without PC/SC, SunPKCS11 fails to
 * initialise with a {@code ProviderException}.
 */
public final class ProviderLibraries {

    /** What native JGSS opens when {@code sun.security.jgss.lib} names nothing: the JDK's own list of GSS-API names. */
    public static final String SYSTEM_GSS_LIBRARY = "<system>";

    private static final String JGSS_LIBRARY = "sun.security.jgss.lib";

    private ProviderLibraries() {
    }

    /**
     * Native JGSS about to open its GSS-API library ({@code SunNativeProvider}'s start, once per JVM). The JDK reads the
     * property again after this decision: see docs/NATIVE.md for what that leaves.
     *
     * @return whether the start is refused: the provider then starts without native mechanisms, as when no library loads
     */
    public static boolean refusesGssLibrary() {
        try {
            if (Gate.isInternal()) {
                return false;
            }
            String named = System.getProperty(JGSS_LIBRARY);
            // As the JDK reads it: a blank value names nothing, any other is handed to dlopen untrimmed.
            String target = named == null || named.trim().isEmpty() ? SYSTEM_GSS_LIBRARY : named;
            return decide("jgss", target).blocks();
        } catch (Throwable failure) {
            return Gate.refuseUnreadable(NativeActions.SURFACE, Decision.unreadable("could not describe the JGSS library load", failure)).blocks();
        }
    }

    /**
     * {@code java.smartcardio} about to open its PC/SC library ({@code PlatformPCSC}'s start, once per JVM), on the name
     * {@code getLibraryName()} returned: the one string its native {@code initialize} receives.
     *
     * @return the {@code IOException} {@code getLibraryName()} declares, or null when the load may proceed
     */
    public static IOException refusalForSmartCardLibrary(String library) {
        try {
            if (Gate.isInternal()) {
                return null;
            }
            return ioError(decide("smartcardio", library));
        } catch (Throwable failure) {
            return ioError(Gate.refuseUnreadable(NativeActions.SURFACE, Decision.unreadable("could not describe the PC/SC library load", failure)));
        }
    }

    /**
     * SunPKCS11 about to open a PKCS#11 module ({@code PKCS11.getInstance}), on the path its native {@code connect}
     * receives.
     *
     * @param opened the modules already open, by path as given: asking for one again opens nothing
     * @return the {@code IOException} {@code getInstance} declares, or null when the load may proceed
     */
    public static IOException refusalForPkcs11Module(String path, Map<?, ?> opened) {
        try {
            if (Gate.isInternal() || (opened != null && path != null && opened.containsKey(path))) {
                return null;
            }
            return ioError(decide("pkcs11", path));
        } catch (Throwable failure) {
            return ioError(Gate.refuseUnreadable(NativeActions.SURFACE, Decision.unreadable("could not describe the PKCS#11 module load", failure)));
        }
    }

    /**
     * SunPKCS11's NSS support about to open {@code libnss3} ({@code Secmod.initialize}).
     *
     * @param nssLibDir the directory the configuration named, or null for the system's library path
     * @return the {@code IOException} {@code initialize} declares, or null when the load may proceed
     */
    public static IOException refusalForNss(String nssLibDir) {
        try {
            if (Gate.isInternal()) {
                return null;
            }
            // The name Secmod.initialize hands to its native nssLoadLibrary, made as it makes it.
            String library = System.mapLibraryName("nss3");
            String path = nssLibDir == null ? library : new File(new File(nssLibDir), library).getPath();
            return ioError(decide("pkcs11", path));
        } catch (Throwable failure) {
            return ioError(Gate.refuseUnreadable(NativeActions.SURFACE, Decision.unreadable("could not describe the NSS library load", failure)));
        }
    }

    private static Decision decide(String via, String name) {
        Map<String, Object> attributes = new HashMap<>(4);
        attributes.put("native.via", via);
        attributes.put("native.name", name);
        return Gate.decide(new ActionRequest(NativeActions.SURFACE, "LOAD", name, attributes));
    }

    private static IOException ioError(Decision decision) {
        return decision.blocks() ? new IOException(decision.denialMessage(), new ActionDeniedException(decision)) : null;
    }
}
