package dev.warden.bootstrap.nativecode;

import dev.warden.bootstrap.ActionDeniedException;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Gate;

import java.util.HashMap;
import java.util.Map;

/**
 * The {@code native} surface: loading native code ({@code LOAD}) and linking a foreign function
 * ({@code LINK}) are decided before they happen. Each method returns the exception the intercepted
 * call must fail with, or null when it may proceed; whatever describing the call throws refuses it.
 * <p>
 * Exempt, because the code is the JDK's or Warden's: JNI loads into the boot or platform class
 * loader's library table (the JDK's own {@code libnet}, {@code libnio}, {@code libmanagement}...,
 * which only JDK classes can reach), loads into Warden's own class loader, and anything done while
 * the thread works for Warden ({@link Gate#isInternal()}). None of these is a name or a path host code
 * could imitate.
 */
public final class NativeActions {

    public static final String SURFACE = "native";

    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

    private static volatile ClassLoader wardenLoader;

    private NativeActions() {
    }

    /**
     * Names Warden's own class loader, whose native loads are Warden's. One-shot: the agent claims it
     * while it starts, before the application's {@code main} runs; later calls change nothing.
     */
    public static synchronized void exemptWardenLoaderOnce(ClassLoader loader) {
        if (wardenLoader == null && loader != null) {
            wardenLoader = loader;
        }
    }

    /**
     * A JNI load ({@code System.load}, {@code System.loadLibrary}, {@code Runtime.load},
     * {@code Runtime.loadLibrary}), at the point where the JDK holds the canonical path of the one file it
     * is about to map, in the library table of the loader of the class that asked.
     *
     * @param loader    the library table's class loader (null: the boot loader)
     * @param fromClass the class that called {@code System.load*}
     * @param path      the canonical path, or a built-in library's name
     * @param builtin   whether {@code path} names a library linked into the launcher
     * @param loaded    the libraries this table already has, by path: loading one again maps nothing
     * @return the error the load fails with, or null when it may proceed
     */
    public static UnsatisfiedLinkError refusalForJniLoad(ClassLoader loader, Class<?> fromClass, String path,
                                                         boolean builtin, Map<?, ?> loaded) {
        try {
            if (loader == null || loader == PLATFORM || loader == wardenLoader || Gate.isInternal()
                    || (loaded != null && loaded.containsKey(path))) {
                return null;
            }
            Map<String, Object> attributes = new HashMap<>(8);
            attributes.put("native.via", "jni");
            attributes.put("native.path", path);
            if (builtin) {
                attributes.put("native.builtin", true);
            }
            if (fromClass != null) {
                attributes.put("native.caller", fromClass.getName());
            }
            return linkError(Gate.decide(new ActionRequest(SURFACE, "LOAD", path, attributes)));
        } catch (Throwable failure) {
            return linkError(Decision.failClosed("could not describe the native load: " + failure, null));
        }
    }

    /**
     * JNA about to open a library with {@code dlopen} itself ({@code NativeLibrary.getInstance}, behind
     * {@code Native.load}, {@code Native.register}, {@code Function.getFunction}), or the process
     * itself ({@code NativeLibrary.getProcess}: every symbol already loaded, libc's included).
     *
     * @param name the library name or path as the application gave it; null for the process
     */
    public static UnsatisfiedLinkError refusalForJnaLoad(String name) {
        try {
            if (Gate.isInternal()) {
                return null;
            }
            String target = name == null ? "<process>" : name;
            Map<String, Object> attributes = new HashMap<>(4);
            attributes.put("native.via", "jna");
            attributes.put("native.name", target);
            return linkError(Gate.decide(new ActionRequest(SURFACE, "LOAD", target, attributes)));
        } catch (Throwable failure) {
            return linkError(Decision.failClosed("could not describe the JNA load: " + failure, null));
        }
    }

    /**
     * The foreign-function API's {@code SymbolLookup.libraryLookup(String|Path, Arena)}: a library
     * opened with {@code dlopen}, outside any class loader's table.
     *
     * @param library the {@code String} name or the {@code Path} the application gave
     * @return the exception the lookup fails with ({@code IllegalArgumentException}, as for a library
     *         that cannot be loaded), or null when it may proceed
     */
    public static IllegalArgumentException refusalForLibraryLookup(Object library) {
        try {
            if (Gate.isInternal()) {
                return null;
            }
            // A Path is an interface the application may implement: toString() may throw, and is
            // refused below like any other failure to describe the call.
            String target = String.valueOf(library);
            Map<String, Object> attributes = new HashMap<>(4);
            attributes.put("native.via", "ffm");
            attributes.put("native.name", target);
            return argumentError(Gate.decide(new ActionRequest(SURFACE, "LOAD", target, attributes)));
        } catch (Throwable failure) {
            return argumentError(Decision.failClosed("could not describe the library lookup: " + failure, null));
        }
    }

    /**
     * The foreign-function API's {@code Linker.downcallHandle}: Java code about to get a handle that
     * calls native code at an address.
     *
     * @param symbol     the {@code MemorySegment} of the function, or null for an unbound handle
     *                   (the address is then given with every call)
     * @param descriptor the {@code FunctionDescriptor}
     * @return the exception the link fails with ({@code IllegalCallerException}, as for a caller
     *         without native access), or null when it may proceed
     */
    public static IllegalCallerException refusalForDowncall(Object symbol, Object descriptor) {
        try {
            if (Gate.isInternal()) {
                return null;
            }
            // MemorySegment and FunctionDescriptor are sealed JDK interfaces: their toString is the JDK's.
            Map<String, Object> attributes = new HashMap<>(4);
            attributes.put("native.via", "ffm");
            attributes.put("native.descriptor", String.valueOf(descriptor));
            String target = "*";
            if (symbol != null) {
                attributes.put("native.symbol", symbol.toString());
                target = symbol.toString();
            }
            return callerError(Gate.decide(new ActionRequest(SURFACE, "LINK", target, attributes)));
        } catch (Throwable failure) {
            return callerError(Decision.failClosed("could not describe the downcall: " + failure, null));
        }
    }

    private static UnsatisfiedLinkError linkError(Decision decision) {
        if (!decision.blocks()) {
            return null;
        }
        UnsatisfiedLinkError error = new UnsatisfiedLinkError(decision.denialMessage());
        error.initCause(new ActionDeniedException(decision));
        return error;
    }

    private static IllegalArgumentException argumentError(Decision decision) {
        return decision.blocks() ? new IllegalArgumentException(decision.denialMessage(), new ActionDeniedException(decision)) : null;
    }

    private static IllegalCallerException callerError(Decision decision) {
        return decision.blocks() ? new IllegalCallerException(decision.denialMessage(), new ActionDeniedException(decision)) : null;
    }
}
