package dev.warden.e2e.host;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * An ordinary application that loads native code every way Java offers and knows nothing of Warden.
 * It runs the steps it is given, in order on its main thread, and prints one line per step:
 *
 * <pre>
 *   java NativeHost STEP...
 *   STEP = load|PATH | runtime-load|PATH | reflect-load|PATH | handle-load|PATH | public-handle-load|PATH
 *        | loadLibrary|NAME | runtime-loadLibrary|NAME | find-library|PATH   (a class loader's findLibrary answers PATH)
 *        | jna-libc | jna-marker|PATH | jna-process                          (JNA: getpid of libc, a library's function, the process handle)
 *        | ffm-marker|PATH | ffm-lookup|NAME | ffm-getpid | ffm-unbound     (the foreign-function API, JDK 22+)
 *        | ffm-hostile-path                                                  (a Path whose every method but getFileSystem throws)
 *        | ffm-disguised|CLAIMED|REAL                                        (a Path that says CLAIMED but resolves to REAL)
 *        | jdk-own                                                           (work that makes the JDK load its own libraries)
 *        | jgss|PATH | smartcardio|PATH | pkcs11|PATH | pkcs11-nss|DIR      (a JDK provider told to open PATH: native JGSS,
 *                                  sun.security.jgss.lib; PC/SC, sun.security.smartcardio.library; a SunPKCS11 library=;
 *                                  SunPKCS11's NSS, nssLibraryDirectory=DIR)
 *        | claim-exemption|PATH    (asks Warden's public bootstrap class, by reflection, to take this host's loader for Warden's; then loads PATH)
 *        | warden-jna-marker|PATH  (JNA as Warden's own class loader has it, if it has it: a library's function)
 *        | warden-loader-load|PATH | warden-loader-ffm|PATH   (System.load, or the foreign-function API, called from a class
 *                                  this host defines in Warden's own class loader)
 *        | boot-loader-load|PATH   (System.load called from a class this host defines beside Warden's bootstrap classes, in
 *                                  the boot loader)
 *   "%00" in a step is a NUL character.
 *   out:  JAVA feature  first, then per step
 *         OK step=N ...  |  DENIED step=N thrown=T message=M  |  UNAVAILABLE step=N ffm  |  ERROR step=N thrown=T message=M
 * </pre>
 * A step that threw is reported as {@link StepFailures} says.
 */
public final class NativeHost {

    public interface CLibrary extends Library {
        int getpid();
    }

    public interface MarkerLibrary extends Library {
        int warden_marker_answer();
    }

    private NativeHost() {
    }

    public static void main(String[] args) {
        System.out.println("JAVA " + Runtime.version().feature());
        for (int step = 0; step < args.length; step++) {
            System.out.println(run(step, args[step]));
        }
        System.out.println("DONE");
        System.exit(0);
    }

    private static String run(int step, String spec) {
        // "%00" stands for a NUL character, which a command line cannot carry.
        String[] parts = spec.replace("%00", "\0").split("\\|", -1);
        try {
            return "OK step=" + step + " " + act(parts);
        } catch (Throwable thrown) {
            Throwable failure = StepFailures.unwrapped(thrown);
            if (failure instanceof ClassNotFoundException && failure.getMessage().startsWith("java.lang.foreign")) {
                return "UNAVAILABLE step=" + step + " ffm";
            }
            return StepFailures.line(step, failure);
        }
    }

    private static String act(String[] step) throws Throwable {
        switch (step[0]) {
            case "load":
                System.load(step[1]);
                return "loaded";
            case "runtime-load":
                Runtime.getRuntime().load(step[1]);
                return "loaded";
            case "reflect-load":
                System.class.getMethod("load", String.class).invoke(null, step[1]);
                return "loaded";
            case "handle-load":
                MethodHandles.lookup().findStatic(System.class, "load", MethodType.methodType(void.class, String.class))
                        .invoke(step[1]);
                return "loaded";
            case "public-handle-load":
                MethodHandles.publicLookup().findStatic(System.class, "load", MethodType.methodType(void.class, String.class))
                        .invoke(step[1]);
                return "loaded";
            case "loadLibrary":
                System.loadLibrary(step[1]);
                return "loaded";
            case "runtime-loadLibrary":
                Runtime.getRuntime().loadLibrary(step[1]);
                return "loaded";
            case "find-library":
                Class.forName(LoadsLibrary.class.getName(), true, new LibraryLoader(step[1]))
                        .getMethod("load", String.class).invoke(null, "anything");
                return "loaded";
            case "jna-libc":
                return "pid=" + Native.load("c", CLibrary.class).getpid();
            case "jna-marker":
                return "answer=" + Native.load(step[1], MarkerLibrary.class).warden_marker_answer();
            case "jna-process":
                return "pid=" + NativeLibrary.getProcess().getFunction("getpid").invokeInt(new Object[0]);
            case "ffm-marker":
                return "answer=" + Foreign.call(Foreign.find(Foreign.libraryLookup(Path.of(step[1])), "warden_marker_answer"));
            case "ffm-lookup":
                Foreign.libraryLookup(step[1]);
                return "opened";
            case "ffm-getpid":
                return "pid=" + Foreign.call(Foreign.find(Foreign.defaultLookup(), "getpid"));
            case "ffm-unbound":
                Foreign.unboundHandle();
                return "linked";
            case "ffm-hostile-path":
                Foreign.libraryLookup(hostilePath());
                return "opened";
            case "ffm-disguised":
                return "answer=" + Foreign.call(Foreign.find(Foreign.libraryLookup(disguisedPath(step[1], step[2])), "warden_marker_answer"));
            case "jdk-own":
                return jdkOwnLibraries();
            case "jgss":
                // Read once, when the first GSSManager starts native JGSS.
                System.setProperty("sun.security.jgss.native", "true");
                System.setProperty("sun.security.jgss.lib", step[1]);
                return "mechs=" + java.util.Arrays.toString(org.ietf.jgss.GSSManager.getInstance().getMechs());
            case "smartcardio":
                System.setProperty("sun.security.smartcardio.library", step[1]);
                return "type=" + javax.smartcardio.TerminalFactory.getDefault().getType();
            case "pkcs11":
                return "configured=" + java.security.Security.getProvider("SunPKCS11")
                        .configure("--name=warden\nlibrary=" + step[1] + "\n").getName();
            case "pkcs11-nss":
                return "configured=" + java.security.Security.getProvider("SunPKCS11")
                        .configure("--name=nss\nnssLibraryDirectory=" + step[1] + "\nnssDbMode=noDb\nnssModule=crypto\n").getName();
            case "claim-exemption":
                // Earlier builds had this one-shot claim; whether or not it is there, the load after it is decided.
                try {
                    Class.forName("dev.warden.bootstrap.nativecode.NativeActions").getMethod("exemptWardenLoaderOnce", ClassLoader.class)
                            .invoke(null, NativeHost.class.getClassLoader());
                } catch (NoSuchMethodException gone) {
                    // nothing to claim
                }
                System.load(step[1]);
                return "loaded";
            case "warden-jna-marker":
                return "answer=" + WardensLoader.jnaMarker(step[1]);
            case "warden-loader-load":
                WardensLoader.call(System.class.getMethod("load", String.class), null, step[1]);
                return "loaded";
            case "boot-loader-load":
                WardensLoader.callFrom(Class.forName("dev.warden.bootstrap.Gate"), System.class.getMethod("load", String.class), null, step[1]);
                return "loaded";
            case "warden-loader-ffm":
                return "answer=" + Foreign.call(Foreign.find(WardensLoader.foreignLibraryLookup(Path.of(step[1])), "warden_marker_answer"));
            default:
                throw new IllegalArgumentException("unknown step " + step[0]);
        }
    }

    /** The foreign-function API through reflection: this host compiles for JDK 17, where it does not exist. */
    private static final class Foreign {

        static Object libraryLookup(Object library) throws Throwable {
            Class<?> lookup = Class.forName("java.lang.foreign.SymbolLookup");
            Class<?> arena = Class.forName("java.lang.foreign.Arena");
            Object global = arena.getMethod("global").invoke(null);
            Class<?> argument = library instanceof String ? String.class : Path.class;
            return lookup.getMethod("libraryLookup", argument, arena).invoke(null, library, global);
        }

        static Object defaultLookup() throws Throwable {
            return Class.forName("java.lang.foreign.Linker").getMethod("defaultLookup").invoke(linker());
        }

        static Object find(Object lookup, String symbol) throws Throwable {
            Method find = Class.forName("java.lang.foreign.SymbolLookup").getMethod("find", String.class);
            return ((Optional<?>) find.invoke(lookup, symbol)).orElseThrow();
        }

        /** Links {@code int f(void)} at {@code symbol} and calls it. */
        static int call(Object symbol) throws Throwable {
            Class<?> linker = Class.forName("java.lang.foreign.Linker");
            Object options = Array.newInstance(Class.forName("java.lang.foreign.Linker$Option"), 0);
            MethodHandle handle = (MethodHandle) linker.getMethod("downcallHandle", Class.forName("java.lang.foreign.MemorySegment"),
                    Class.forName("java.lang.foreign.FunctionDescriptor"), options.getClass()).invoke(linker(), symbol, intFunction(), options);
            return (int) handle.invokeWithArguments();
        }

        static void unboundHandle() throws Throwable {
            Class<?> linker = Class.forName("java.lang.foreign.Linker");
            Object options = Array.newInstance(Class.forName("java.lang.foreign.Linker$Option"), 0);
            linker.getMethod("downcallHandle", Class.forName("java.lang.foreign.FunctionDescriptor"), options.getClass())
                    .invoke(linker(), intFunction(), options);
        }

        private static Object linker() throws Throwable {
            return Class.forName("java.lang.foreign.Linker").getMethod("nativeLinker").invoke(null);
        }

        private static Object intFunction() throws Throwable {
            Class<?> layout = Class.forName("java.lang.foreign.MemoryLayout");
            Object javaInt = Class.forName("java.lang.foreign.ValueLayout").getField("JAVA_INT").get(null);
            return Class.forName("java.lang.foreign.FunctionDescriptor").getMethod("of", layout, Array.newInstance(layout, 0).getClass())
                    .invoke(null, javaInt, Array.newInstance(layout, 0));
        }
    }

    /**
     * Warden's own class loader, as any code finds it through public JDK API (the class of one of Warden's live threads),
     * and what host code can do with it: use the libraries in it, and define classes of its own in it. Its unnamed module
     * opens every package to every lookup, so {@code MethodHandles.privateLookupIn} on one of its classes can define a
     * class beside it; a caller-sensitive method (System.load, SymbolLookup.libraryLookup) called through that class's
     * {@code Method.invoke} sees it as the caller.
     */
    private static final class WardensLoader {

        static Class<?> anchor() {
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                ClassLoader loader = thread.getClass().getClassLoader();
                if (thread.getName().startsWith("warden-") && loader != null && loader != ClassLoader.getSystemClassLoader()) {
                    return thread.getClass();
                }
            }
            throw new IllegalStateException("no Warden thread of a class of Warden's loader");
        }

        static int jnaMarker(String path) throws Throwable {
            Class<?> library = Class.forName("com.sun.jna.NativeLibrary", true, anchor().getClassLoader());
            Object opened = library.getMethod("getInstance", String.class).invoke(null, path);
            Object function = library.getMethod("getFunction", String.class).invoke(opened, "warden_marker_answer");
            return (Integer) function.getClass().getMethod("invokeInt", Object[].class).invoke(function, (Object) new Object[0]);
        }

        private static final java.util.Map<Class<?>, Method> TRAMPOLINES = new java.util.HashMap<>();

        /** Calls {@code method} through {@code Method.invoke} from a class defined in Warden's loader. */
        static Object call(Method method, Object target, Object... arguments) throws Throwable {
            return callFrom(anchor(), method, target, arguments);
        }

        /** Calls {@code method} through {@code Method.invoke} from a class defined beside {@code anchor}, in its loader. */
        static Object callFrom(Class<?> anchor, Method method, Object target, Object... arguments) throws Throwable {
            Method trampoline = TRAMPOLINES.get(anchor);
            if (trampoline == null) {
                byte[] code = new net.bytebuddy.ByteBuddy(net.bytebuddy.ClassFileVersion.JAVA_V17).subclass(Object.class)
                        .name(anchor.getPackageName() + ".HostTrampoline")
                        .defineMethod("invoke", Object.class, net.bytebuddy.description.modifier.Visibility.PUBLIC,
                                net.bytebuddy.description.modifier.Ownership.STATIC)
                        .withParameters(Method.class, Object.class, Object[].class)
                        .intercept(net.bytebuddy.implementation.MethodCall.invoke(Method.class.getMethod("invoke", Object.class, Object[].class))
                                .onArgument(0).withArgument(1, 2))
                        .make().getBytes();
                Class<?> planted = MethodHandles.privateLookupIn(anchor, MethodHandles.lookup()).defineClass(code);
                trampoline = planted.getMethod("invoke", Method.class, Object.class, Object[].class);
                TRAMPOLINES.put(anchor, trampoline);
            }
            return trampoline.invoke(null, method, target, arguments);
        }

        static Object foreignLibraryLookup(Path library) throws Throwable {
            Class<?> arena = Class.forName("java.lang.foreign.Arena");
            Method lookup = Class.forName("java.lang.foreign.SymbolLookup").getMethod("libraryLookup", Path.class, arena);
            return call(lookup, null, library, arena.getMethod("global").invoke(null));
        }
    }

    /** A Path of the default file system whose every other method, toString included, throws. */
    private static Path hostilePath() {
        Path real = Path.of("/nonexistent/libhostile.so");
        return (Path) Proxy.newProxyInstance(NativeHost.class.getClassLoader(), new Class<?>[] {Path.class}, (proxy, method, arguments) -> {
            if (method.getName().equals("getFileSystem")) {
                return real.getFileSystem();
            }
            throw new IllegalStateException("hostile path: " + method.getName());
        });
    }

    /**
     * A Path of the default file system that calls itself {@code claimed} (toString, equals, getFileName...)
     * but whose real path, which is what the JDK opens, is {@code real}.
     */
    private static Path disguisedPath(String claimed, String real) {
        Path shown = Path.of(claimed);
        return (Path) Proxy.newProxyInstance(NativeHost.class.getClassLoader(), new Class<?>[] {Path.class}, (proxy, method, arguments) -> {
            if (method.getName().equals("toRealPath")) {
                return Path.of(real);
            }
            return method.invoke(shown, arguments);
        });
    }

    /**
     * Management beans, image encoding and text layout make the JDK load libmanagement*, libawt*,
     * libfontmanager (and, on JDK 25, link HarfBuzz functions): its own libraries, from its own code.
     */
    private static String jdkOwnLibraries() throws Exception {
        Set<String> before = mappedLibraries();
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        ImageIO.setUseCache(false);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB), "png", png);
        // JDK 25 shapes text with HarfBuzz through foreign-function downcalls of its own.
        float advance = new java.awt.font.TextLayout("Warden", new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 12),
                new java.awt.font.FontRenderContext(null, true, true)).getAdvance();
        Set<String> loaded = mappedLibraries();
        loaded.removeAll(before);
        return "memory=" + (memory > 0) + " png=" + png.size() + " text=" + (advance > 0) + " libraries=" + String.join(",", loaded);
    }

    private static Set<String> mappedLibraries() throws Exception {
        Set<String> libraries = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            int slash = line.indexOf('/');
            if (slash > 0 && line.contains(".so")) {
                libraries.add(Path.of(line.substring(slash)).getFileName().toString());
            }
        }
        return libraries;
    }

    /** A class loader whose {@code findLibrary} answers one path for any name: what a plug-in loader may do. */
    private static final class LibraryLoader extends ClassLoader {
        private final String path;

        LibraryLoader(String path) {
            super(NativeHost.class.getClassLoader());
            this.path = path;
        }

        @Override
        protected String findLibrary(String name) {
            return path;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(LoadsLibrary.class.getName())) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    try (InputStream bytes = NativeHost.class.getResourceAsStream("/" + name.replace('.', '/') + ".class")) {
                        byte[] code = bytes.readAllBytes();
                        loaded = defineClass(name, code, 0, code.length);
                    } catch (java.io.IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                return loaded;
            }
        }
    }

    /** Defined again by {@link LibraryLoader}: its {@code System.loadLibrary} goes to that loader's table. */
    public static final class LoadsLibrary {
        public static void load(String name) {
            System.loadLibrary(name);
        }
    }
}
