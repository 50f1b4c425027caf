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
 * Exempt, because the code is the JDK's or Warden's: JNI loads by JDK classes (boot or platform loader, a named
 * module) into those loaders' library tables (the JDK's own {@code libnet}, {@code libnio}, {@code libmanagement}...),
 * foreign-function calls made by JDK classes, and anything done while the thread works for Warden
 * ({@link Gate#isInternal()}). Neither Warden's own class loader nor the boot loader's unnamed module (where Warden's
 * bootstrap classes live) is an exemption: host code reaches both and can define classes in them
 * ({@code MethodHandles.privateLookupIn} on one of their classes: an unnamed module is open to every lookup), so
 * what such a class loads or links is decided like the host's. Defining a class inside a JDK module takes a package
 * that module opens to the caller: host code gets one only through a class planted in Warden's loader, to which
 * Warden opens {@code java.lang} and a few other packages (the arbitrary-code class of docs/THREATS.md).
 */
public final class NativeActions {

    public static final String SURFACE = "native";

    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

    private static final StackWalker FRAMES = StackWalker.getInstance(java.util.Set.of(
            StackWalker.Option.RETAIN_CLASS_REFERENCE, StackWalker.Option.SHOW_HIDDEN_FRAMES, StackWalker.Option.SHOW_REFLECT_FRAMES));

    private NativeActions() {
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
            if ((isJdkTable(loader) && isJdk(fromClass, true)) || Gate.isInternal()
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
            return linkError(Gate.refuseUnreadable(SURFACE, Decision.unreadable("could not describe the native load", failure)));
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
            return linkError(Gate.refuseUnreadable(SURFACE, Decision.unreadable("could not describe the JNA load", failure)));
        }
    }

    /**
     * The foreign-function API opening a library with {@code dlopen}, outside every class loader's
     * table: {@code RawNativeLibraries.load(String)} with the string the JDK passes to {@code dlopen}
     * (for {@code SymbolLookup.libraryLookup(Path, Arena)}, what the application's {@code Path}
     * answered to {@code toRealPath().toString()}, not what it claims to be elsewhere).
     *
     * @param opener   the class the raw library table was made for: {@code java.lang.foreign.SymbolLookup}
     *                 for the application's lookups; the JDK's own (its system lookup) are exempt
     * @param pathname the name or path about to be opened
     * @return the exception the lookup fails with ({@code IllegalArgumentException}, as for a library
     *         that cannot be loaded), or null when it may proceed
     */
    public static IllegalArgumentException refusalForForeignLoad(Class<?> opener, String pathname) {
        boolean forApplication = opener != null && opener.getClassLoader() == null
                && opener.getName().equals("java.lang.foreign.SymbolLookup");
        return refusalForForeignLoad(forApplication, pathname);
    }

    static IllegalArgumentException refusalForForeignLoad(boolean forApplication, String pathname) {
        try {
            if (!forApplication || Gate.isInternal()) {
                return null;
            }
            Class<?> caller = applicationCaller();
            if (isJdk(caller, false)) {
                return null;
            }
            Map<String, Object> attributes = new HashMap<>(4);
            attributes.put("native.via", "ffm");
            attributes.put("native.name", pathname);
            attributes.put("native.caller", caller.getName());
            return argumentError(Gate.decide(new ActionRequest(SURFACE, "LOAD", pathname, attributes)));
        } catch (Throwable failure) {
            return argumentError(Gate.refuseUnreadable(SURFACE, Decision.unreadable("could not describe the library lookup", failure)));
        }
    }

    /**
     * The foreign-function API's {@code Linker.downcallHandle}: Java code about to get a handle that
     * calls native code at an address. The JDK's own downcalls (text shaping in {@code java.desktop},
     * the terminal in {@code jdk.internal.le}) are exempt by their caller.
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
            Class<?> caller = applicationCaller();
            if (isJdk(caller, false)) {
                return null;
            }
            // MemorySegment and FunctionDescriptor are sealed JDK interfaces: their toString is the JDK's.
            Map<String, Object> attributes = new HashMap<>(8);
            attributes.put("native.via", "ffm");
            attributes.put("native.descriptor", String.valueOf(descriptor));
            attributes.put("native.caller", caller.getName());
            String target = "*";
            if (symbol != null) {
                attributes.put("native.symbol", symbol.toString());
                target = symbol.toString();
            }
            return callerError(Gate.decide(new ActionRequest(SURFACE, "LINK", target, attributes)));
        } catch (Throwable failure) {
            return callerError(Gate.refuseUnreadable(SURFACE, Decision.unreadable("could not describe the downcall", failure)));
        }
    }

    /**
     * The class that called into the foreign-function API: the first frame that is not the JDK's own
     * plumbing (method handles, reflection, the foreign-function implementation, the loaders). Hidden
     * frames are walked too, so that a method handle bound to the application's lookup shows as the
     * application's (its invoker is defined in the application's loader), never as the JDK code that
     * happened to invoke it. A plumbing package counts only when the class is the JDK's: an
     * application class named {@code jdk.internal.foreign.X} is the application's.
     */
    private static Class<?> applicationCaller() {
        return FRAMES.walk(frames -> frames.map(StackWalker.StackFrame::getDeclaringClass)
                .filter(type -> !isPlumbing(type)).findFirst().orElse(null));
    }

    private static boolean isPlumbing(Class<?> type) {
        if (type == NativeActions.class) {
            return true;
        }
        if (type.getClassLoader() != null) {
            return false;
        }
        String name = type.getName();
        return name.startsWith("java.lang.invoke.") || name.startsWith("java.lang.reflect.")
                || name.startsWith("jdk.internal.reflect.") || name.startsWith("java.lang.foreign.")
                || name.startsWith("jdk.internal.foreign.") || name.startsWith("jdk.internal.loader.");
    }

    private static boolean isJdkTable(ClassLoader loader) {
        return loader == null || loader == PLATFORM;
    }

    /**
     * Whether code of {@code type} is the JDK's: defined by the boot or platform loader in a named module. The boot
     * loader's unnamed module holds Warden's bootstrap classes, and a class host code defines beside them
     * ({@code MethodHandles.privateLookupIn} on one of them: an unnamed module is open to every lookup) is no JDK code.
     *
     * @param none what no class counts as: a JNI load into the boot or platform table with no Java caller (made through JNI
     *             from a thread with no Java frames: native code already running, which an earlier load let in) is
     *             not decided again; a foreign-function call with no caller is
     */
    private static boolean isJdk(Class<?> type, boolean none) {
        if (type == null) {
            return none;
        }
        return isJdkTable(type.getClassLoader()) && type.getModule().isNamed();
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
