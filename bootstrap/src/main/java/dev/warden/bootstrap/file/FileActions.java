package dev.warden.bootstrap.file;

import dev.warden.bootstrap.ActionDeniedException;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Gate;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.CopyOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code file} surface's enforcement: packs what a java.io or NIO call has in hand (the raw path
 * strings, the open options) into a request, asks the gate, and turns a refusal into the failure the
 * API already declares. Describing the path (absolute, {@code ..} and symbolic links resolved) is the
 * enricher's work, in the agent's loader.
 * <p>
 * Every method here returns the refusal, or null when the call may proceed; the advice throws it.
 */
public final class FileActions {

    public static final String SURFACE = "file";

    /** The scopes of NIO opens and of {@code mkdir(s)}: their nested calls of the same kind are the same action. */
    public static final String OPEN_SCOPE = "file.open";
    public static final String MKDIR_SCOPE = "file.mkdir";

    public static final String READ = "READ";
    public static final String WRITE = "WRITE";
    public static final String DELETE = "DELETE";
    public static final String MOVE = "MOVE";
    public static final String COPY = "COPY";
    public static final String LINK = "LINK";
    public static final String MKDIR = "MKDIR";

    /**
     * The options of a metadata change: {@code ATTRIBUTES} for any, and {@code PERMISSIONS} too for a change of who may
     * reach the file (its mode or owner), which a directory above Warden's own may not take ({@code OwnFiles}).
     */
    public static final String ATTRIBUTES = "ATTRIBUTES";
    public static final String PERMISSIONS = "PERMISSIONS";

    /** Raw attribute names, shared with the enricher. */
    public static final String PATH_RAW = "file.path.raw";
    public static final String TO_RAW = "file.to.raw";
    public static final String OPTIONS = "file.options";
    public static final String VIA = "file.via";
    public static final String CALL = "file.call";
    public static final String TEMP_NAME = "file.temp.name";
    /** Set when a path's bytes are not text in the file system's encoding: its string is not the file it names. */
    public static final String UNDECODABLE = "file.undecodable";

    /**
     * A path's description depends on the disk at the moment of the call (a name that was a file
     * yesterday is a symbolic link to /etc today), so no two file requests are equal: the engine
     * describes each afresh rather than reusing the description of an identical earlier request.
     */
    private static final AtomicLong CALLS = new AtomicLong();

    /** Whether opens for reading are decided too; off by default (class loading alone would flood the log). */
    private static volatile boolean readsGated;

    private FileActions() {
    }

    /**
     * Makes reads decided for the rest of the JVM's life. One way only: there is no call that turns
     * them off again, so host code can only make Warden stricter.
     */
    public static void gateReads() {
        readsGated = true;
    }

    public static boolean readsGated() {
        return readsGated;
    }

    // ---- java.io -------------------------------------------------------------------------------

    /** {@code FileOutputStream.open(name, append)}: the path the stream is about to open. */
    public static FileNotFoundException refusalForOutputStream(String name, boolean append) {
        if (Gate.isInternal()) {
            return null;
        }
        List<String> options = append ? List.of("WRITE", "CREATE", "APPEND") : List.of("WRITE", "CREATE", "TRUNCATE_EXISTING");
        return streamRefusal(decide(WRITE, name, null, options, "FileOutputStream", null));
    }

    /** {@code FileInputStream.open(name)}: decided only when reads are, or when it opens one of {@link WardenSecrets}. */
    public static FileNotFoundException refusalForInputStream(String name) {
        // Reads not decided come first, before anything else runs: the JDK reads files while it initialises itself
        // (its security properties, say), and the gate's own classes may be what it is initialising then.
        if (!readsGated && !WardenSecrets.named(name) || Gate.isInternal()) {
            return null;
        }
        return streamRefusal(decide(READ, name, null, List.of("READ"), "FileInputStream", null));
    }

    /** {@code RandomAccessFile.open(name, imode)}: a write when the mode has {@code O_RDWR} (2). */
    public static FileNotFoundException refusalForRandomAccess(String name, int mode) {
        boolean write = (mode & 2) != 0;
        if (!write && !readsGated && !WardenSecrets.named(name) || Gate.isInternal()) { // as for input streams
            return null;
        }
        List<String> options = new ArrayList<>(4);
        options.add("READ");
        if (write) {
            options.add("WRITE");
            options.add("CREATE");
        }
        if ((mode & 4) != 0) {
            options.add("SYNC");
        }
        if ((mode & 8) != 0) {
            options.add("DSYNC");
        }
        return streamRefusal(decide(write ? WRITE : READ, name, null, options, "RandomAccessFile", null));
    }

    /**
     * A {@code java.io.File} method: {@code delete}, {@code renameTo}, {@code mkdir(s)},
     * {@code createNewFile}, the {@code set*} methods. These report failure as {@code false}; a
     * refusal is reported the same way (see {@link #refuses(Decision)}).
     *
     * @return the decision, or null when the call is not decided (Warden's own work)
     */
    public static Decision decideFile(String operation, String path, String to, String via) {
        return decideFile(null, operation, path, to, via);
    }

    /**
     * {@link #decideFile(String, String, String, String)} in a scope whose nested calls of the same
     * kind are its own parts ({@code mkdirs} calling {@code mkdir} for each parent): they inherit its
     * decision when only JDK code runs between the two ({@link ActionScope#decideAsPartOfEnclosing}).
     */
    public static Decision decideFile(ActionScope scope, String operation, String path, String to, String via) {
        if (Gate.isInternal()) {
            return null;
        }
        return decide(operation, path, to, List.of(), via, null, scope, null, null);
    }

    /** {@code File.createNewFile}: declares {@code IOException}, so a refusal is one. */
    public static IOException refusalForCreateNewFile(String path) {
        if (Gate.isInternal()) {
            return null;
        }
        return ioRefusal(decide(WRITE, path, null, List.of("WRITE", "CREATE_NEW"), "File.createNewFile", null));
    }

    /** {@code File.createTempFile(prefix, suffix, directory)}: a new file in the directory (null: the temp directory). */
    public static IOException refusalForTempFile(String prefix, String suffix, String directory) {
        if (Gate.isInternal()) {
            return null;
        }
        // The JDK keeps only the prefix's last name ("../allowed/report" makes "report<n>" in the directory given).
        String name = (prefix == null ? "null" : new java.io.File(prefix).getName()) + "*" + (suffix == null ? ".tmp" : suffix);
        return ioRefusal(decide(WRITE, directory, null, List.of("WRITE", "CREATE_NEW"), "File.createTempFile", name));
    }

    /**
     * A boolean {@code java.io.File} method of {@code path}: {@code delete}, or a metadata change (a {@code WRITE}:
     * {@code setLastModified} of the times, {@code setReadable}, {@code setWritable}, {@code setExecutable} and {@code
     * setReadOnly} of the mode, with the options an NIO view's change of the same has).
     *
     * @return the decision, or null when the call is not decided (Warden's own work)
     */
    public static Decision decideFileMethod(String path, String method) {
        if (Gate.isInternal()) {
            return null;
        }
        String operation = operationOfFileMethod(method);
        List<String> options = DELETE.equals(operation) ? List.of()
                : "setLastModified".equals(method) ? List.of(ATTRIBUTES) : List.of(ATTRIBUTES, PERMISSIONS);
        return decide(operation, path, null, options, "File." + method, null, null, null, null);
    }

    /**
     * The lock file {@code java.util.prefs} opens on Linux before it syncs ({@code FileSystemPreferences.lockFile}): its
     * own native {@code lockFile0} opens it with {@code O_CREAT}, past every file advice, at the canonical name of
     * {@code .user.lock.<user.name>} below {@code java.util.prefs.userRoot} (the system root's for system nodes), system
     * properties host code may set before the first use; a {@code user.name} holding {@code ../} leads anywhere. A
     * {@code WRITE} of that name, which may create it.
     *
     * @return whether the lock is refused (the JDK then reports it could not lock: a {@code BackingStoreException})
     */
    public static boolean refusesPreferencesLock(java.io.File lock) {
        if (Gate.isInternal() || lock == null) {
            return false;
        }
        Decision decision;
        try {
            // The very string the native open receives: the JDK passes the canonical path too.
            decision = decide(WRITE, lock.getCanonicalPath(), null, List.of("WRITE", "CREATE"), "java.util.prefs.lockFile", null);
        } catch (IOException | RuntimeException | Error failure) {
            decision = failedToDescribe(failure);
        }
        return refuses(decision);
    }

    /**
     * A file JFR hands the JVM to write in native code ({@code jdk.jfr.internal.MetadataRepository.setOutput}, the same on
     * JDK 17 and 25): a memory recording's destination when it stops, or a disk recording's next chunk. The JVM opens
     * that name itself, past every other advice, and JFR decided nothing then: a destination's name was decided when it
     * was set ({@code Recording.setDestination}) and its real path kept, so a directory on the way made a link since led
     * the JVM's write anywhere (until a thirteenth review, 2026-12-08: into the rules directory, whatever the policy). A
     * {@code WRITE} of that name, as the native open will walk it now.
     *
     * @return the exception {@code setOutput} must fail with ({@code SecurityException}: JFR's callers declare nothing
     *         else), or null to let it write
     */
    public static RuntimeException refusalForJfrOutput(String filename) {
        if (filename == null || Gate.isInternal()) {
            return null; // no file: the JVM closes its output
        }
        Decision decision = decide(WRITE, filename, null, List.of("WRITE", "CREATE"), "jdk.jfr.setOutput", null);
        if (decision == null || !decision.blocks()) {
            return null;
        }
        SecurityException refusal = new SecurityException(decision.denialMessage());
        refusal.initCause(new ActionDeniedException(decision));
        return refusal;
    }

    /** The operation of a boolean {@code java.io.File} method: {@code delete}, or a metadata change (a write). */
    public static String operationOfFileMethod(String method) {
        return "delete".equals(method) ? DELETE : WRITE;
    }

    /**
     * A plain {@code File} of the path a {@code File} argument names, read once: the JDK then uses the
     * copy, whose {@code path} field is what was decided. Reads the argument's {@code getPath()}, which a
     * subclass may override (and make throw: the caller refuses).
     */
    public static java.io.File trustedCopy(java.io.File file) {
        return file == null || file.getClass() == java.io.File.class ? file : new java.io.File(file.getPath());
    }

    /** A copy of the host's option set, iterated once: the JDK opens with the copy, so what was decided is what opens. */
    public static <T> Set<T> trustedCopy(Set<T> options) {
        return options == null ? null : new java.util.HashSet<>(options);
    }

    /** The refusal of a call whose arguments could not be read. */
    public static Decision failedToDescribe(Throwable failure) {
        return Gate.refuseUnreadable(SURFACE, Decision.unreadable("could not describe the file action", failure));
    }

    /** Whether a decision from {@link #decideFile} means the call must not run. */
    public static boolean refuses(Decision decision) {
        return decision != null && decision.blocks();
    }

    // ---- NIO (the default provider) -------------------------------------------------------------

    /**
     * {@code newByteChannel}, {@code newFileChannel}, {@code newAsynchronousFileChannel}: a write when
     * the options ask for one. {@code options} must be a copy the JDK will use too (the advice passes
     * on the copy), so that what was decided is what opens.
     */
    public static IOException refusalForOpen(Path path, Set<? extends OpenOption> options, String via) {
        return refusalForOpen(null, path, options, via);
    }

    /**
     * {@link #refusalForOpen(Path, Set, String)} in the scope of the advised call: an open nested in a
     * decided open of the same {@code Path} object (JDK 25's byte channel is a file channel) inherits
     * its decision ({@link ActionScope#decide(ActionRequest, Object)}).
     */
    public static IOException refusalForOpen(ActionScope scope, Path path, Set<? extends OpenOption> options, String via) {
        if (Gate.isInternal()) {
            return null;
        }
        try {
            List<String> names = new ArrayList<>(options.size() + 1);
            boolean write = false;
            for (OpenOption option : options) {
                names.add(optionName(option));
                // DELETE_ON_CLOSE deletes the file even when it was opened only to be read.
                write |= option == StandardOpenOption.WRITE || option == StandardOpenOption.APPEND
                        || option == StandardOpenOption.DELETE_ON_CLOSE;
            }
            String raw = rawPath(path);
            if (raw == null || !write && !readsGated && !WardenSecrets.namedByPath(raw)) {
                return null;
            }
            return ioRefusal(decide(write ? WRITE : READ, raw, null, names, via, null, scope, path, undecodable(raw)));
        } catch (RuntimeException | Error failure) {
            return ioRefusal(failedToDescribe(failure));
        }
    }

    /** {@code delete}, {@code deleteIfExists} ({@code implDelete}), {@code createDirectory}. */
    public static IOException refusalFor(String operation, Path path, String via) {
        if (Gate.isInternal()) {
            return null;
        }
        try {
            String raw = rawPath(path);
            return raw == null ? null : ioRefusal(decide(operation, raw, null, List.of(), via, null, null, null,
                    undecodable(raw)));
        } catch (RuntimeException | Error failure) {
            return ioRefusal(failedToDescribe(failure));
        }
    }

    /**
     * A unix-domain socket bound to a name ({@code ServerSocketChannel} or {@code SocketChannel} given a
     * {@code UnixDomainSocketAddress}, or the temporary name a server's {@code bind(null)} draws): the kernel makes a
     * socket file there, a new name in that directory as a created file is, left on disk when the socket closes
     * ({@link #socketBind}).
     */
    public static IOException refusalForSocketBind(Path path) {
        if (Gate.isInternal()) {
            return null;
        }
        try {
            String raw = rawPath(path);
            // An empty name makes no file: the JDK refuses it after this.
            return raw == null || raw.isEmpty() ? null : socketBind(raw, "nio.UnixDomainSockets.bind");
        } catch (RuntimeException | Error failure) {
            return ioRefusal(failedToDescribe(failure));
        }
    }

    /**
     * Netty's native bind ({@code io.netty.channel.unix.Socket.bind}: the epoll, kqueue and Netty 4.2 io_uring
     * transports' unix-domain servers and datagram channels) to its own {@code DomainSocketAddress}: the socket file
     * {@link #refusalForSocketBind} decides for the JDK's, made past the JDK. The name is decided as a {@code Path} of the
     * default file system reads it: one that is none (a NUL inside, which the kernel would cut the name at, or an
     * abstract name) is refused. An address of another type that is no {@code InetSocketAddress} (the application's own
     * subclass) is refused unread; an internet address makes no file.
     *
     * @param socket the Netty socket, whose Netty (shaded or not) defines the domain socket address type
     */
    public static IOException refusalForNettySocketBind(Object socket, java.net.SocketAddress local) {
        if (Gate.isInternal() || local == null || local instanceof java.net.InetSocketAddress) {
            return null;
        }
        try {
            String path = dev.warden.bootstrap.http.NettyDomainSockets.pathOf(socket, local);
            if (path == null) {
                return ioRefusal(Gate.refuseUnreadable(SURFACE, Decision.failClosed("could not describe the socket bind: an"
                        + " address of type " + local.getClass().getName() + ", never read", null)));
            }
            String raw = rawPath(Path.of(path));
            return raw == null || raw.isEmpty() ? ioRefusal(Gate.refuseUnreadable(SURFACE, Decision.failClosed(
                    "could not describe the socket bind: an empty name", null))) : socketBind(raw, "netty.Socket.bind");
        } catch (ReflectiveOperationException | RuntimeException | Error failure) {
            return ioRefusal(failedToDescribe(failure));
        }
    }

    /**
     * A {@code WRITE} with {@code CREATE_NEW} and {@code NOFOLLOW_LINKS}: {@code bind} fails on a name that exists, a link
     * included, and never follows one.
     */
    private static IOException socketBind(String raw, String via) {
        return ioRefusal(decide(WRITE, raw, null, List.of("CREATE_NEW", "NOFOLLOW_LINKS"), via, null, null, null,
                undecodable(raw)));
    }

    /**
     * A metadata change through an NIO attribute view (times, mode, owner, an extended attribute): a {@code WRITE} of
     * the view's file, the link itself when the view does not follow links; {@link #PERMISSIONS} for a mode or owner.
     */
    public static IOException refusalForAttributes(Path path, boolean followLinks, String method) {
        if (Gate.isInternal()) {
            return null;
        }
        try {
            String raw = rawPath(path);
            List<String> options = new ArrayList<>(3);
            options.add(ATTRIBUTES);
            // The mode and the owner say who may reach the file; times and extended attributes do not.
            if (method.endsWith("setMode") || method.endsWith("setOwners") || method.endsWith("setPermissions")) {
                options.add(PERMISSIONS);
            }
            if (!followLinks) {
                options.add("NOFOLLOW_LINKS");
            }
            return raw == null ? null : ioRefusal(decide(WRITE, raw, null, options, "nio." + method, null, null, null,
                    undecodable(raw)));
        } catch (RuntimeException | Error failure) {
            return ioRefusal(failedToDescribe(failure));
        }
    }

    /**
     * {@code copy}, {@code move} (source, target) and {@code createSymbolicLink}, {@code createLink}
     * (link, what it points to). {@code options} must be the copy the JDK will use.
     */
    public static IOException refusalForTwo(String operation, Path path, Path to, CopyOption[] options, String via) {
        if (Gate.isInternal()) {
            return null;
        }
        try {
            String raw = rawPath(path);
            String rawTo = rawPath(to);
            if (raw == null || rawTo == null) {
                return null;
            }
            List<String> names = new ArrayList<>(options == null ? 0 : options.length);
            if (options != null) {
                for (CopyOption option : options) {
                    names.add(optionName(option));
                }
            }
            String undecodable = undecodable(raw);
            return ioRefusal(decide(operation, raw, rawTo, names, via, null, null, null,
                    undecodable != null ? undecodable : undecodable(rawTo)));
        } catch (RuntimeException | Error failure) {
            return ioRefusal(failedToDescribe(failure));
        }
    }

    // ---- NIO secure directory streams (openat, unlinkat, renameat) -------------------------------

    /** {@code SecureDirectoryStream.newByteChannel} of the stream whose open directory is {@code descriptor}. */
    public static IOException refusalForOpenIn(int descriptor, Path name, Set<? extends OpenOption> options) {
        if (Gate.isInternal()) {
            return null;
        }
        try {
            return refusalForOpen(null, SecureDirectories.resolve(descriptor, name), options, "nio.SecureDirectoryStream.newByteChannel");
        } catch (RuntimeException | Error failure) {
            return ioRefusal(failedToDescribe(failure));
        }
    }

    /** {@code SecureDirectoryStream.deleteFile} and {@code deleteDirectory}. */
    public static IOException refusalForDeleteIn(int descriptor, Path name, String method) {
        if (Gate.isInternal()) {
            return null;
        }
        try {
            return refusalFor(DELETE, SecureDirectories.resolve(descriptor, name), "nio.SecureDirectoryStream." + method);
        } catch (RuntimeException | Error failure) {
            return ioRefusal(failedToDescribe(failure));
        }
    }

    /** {@code SecureDirectoryStream.move(name, targetStream, targetName)}. */
    public static IOException refusalForMoveIn(int descriptor, Path name, Object targetStream, Path targetName) {
        if (Gate.isInternal()) {
            return null;
        }
        try {
            int target = SecureDirectories.descriptorOf(targetStream);
            if (target < 0) {
                return null; // not the JDK's stream: the JDK refuses the move (ProviderMismatchException)
            }
            return refusalForTwo(MOVE, SecureDirectories.resolve(descriptor, name), SecureDirectories.resolve(target, targetName),
                    null, "nio.SecureDirectoryStream.move");
        } catch (RuntimeException | Error failure) {
            return ioRefusal(failedToDescribe(failure));
        }
    }

    /**
     * A metadata change through an attribute view a {@code SecureDirectoryStream} gives ({@code setTimes}, {@code
     * setPermissions}, {@code setOwners}): {@code futimens}, {@code fchmod(at)} and {@code fchown} relative to the
     * directory the stream holds open, which never reach the views {@link #refusalForAttributes} is called from. A view
     * bound to a name changes where the name leads from that directory; a view bound to the stream alone ({@code name}
     * null) changes the open directory itself, through its descriptor, so its link is followed whatever the view was
     * asked. Until an eleventh review (2026-12-07) none was decided: a host made the rules directory writable by all.
     *
     * @param stream the view's {@code UnixSecureDirectoryStream}
     */
    public static IOException refusalForAttributesIn(Object stream, Path name, boolean followLinks, String method) {
        if (Gate.isInternal()) {
            return null;
        }
        try {
            int descriptor = SecureDirectories.descriptorOf(stream);
            if (descriptor < 0) { // the view is the JDK's, so its stream is too: a stream not read is refused, not passed
                throw new IllegalStateException("the directory of a secure directory stream's attribute view cannot be read");
            }
            Path path = name == null ? SecureDirectories.directory(descriptor) : SecureDirectories.resolve(descriptor, name);
            return refusalForAttributes(path, name == null || followLinks, "SecureDirectoryStream." + method);
        } catch (RuntimeException | Error failure) {
            return ioRefusal(failedToDescribe(failure));
        }
    }

    // ---- common -----------------------------------------------------------------------------------

    private static Decision decide(String operation, String raw, String to, List<String> options, String via, String tempName) {
        return decide(operation, raw, to, options, via, tempName, null, null, null);
    }

    /** @param scope the advised call's scope, or null; {@code carrier}: what makes a nested call the same action */
    private static Decision decide(String operation, String raw, String to, List<String> options, String via, String tempName,
                                   ActionScope scope, Object carrier, String undecodable) {
        try {
            Map<String, Object> attributes = new HashMap<>(12);
            if (undecodable != null) {
                attributes.put(UNDECODABLE, undecodable);
            }
            if (raw != null) {
                attributes.put(PATH_RAW, raw);
            }
            if (to != null) {
                attributes.put(TO_RAW, to);
            }
            if (tempName != null) {
                attributes.put(TEMP_NAME, tempName);
            }
            attributes.put(OPTIONS, options);
            attributes.put(VIA, via);
            attributes.put(CALL, CALLS.incrementAndGet());
            ActionRequest request = new ActionRequest(SURFACE, operation, null, attributes);
            if (scope == null) {
                return Gate.decide(request);
            }
            return carrier != null ? scope.decide(request, carrier) : scope.decideAsPartOfEnclosing(request);
        } catch (RuntimeException | Error failure) {
            return failedToDescribe(failure);
        }
    }

    /**
     * The path string of a path of the default file system ({@code sun.nio.fs.UnixPath}, a final JDK
     * class whose {@code toString} is its own). Any other {@code Path} is refused by the provider
     * itself ({@code ProviderMismatchException}) before it touches the disk: null, not decided.
     */
    private static String rawPath(Path path) {
        if (path == null || !path.getClass().getName().equals("sun.nio.fs.UnixPath")) {
            return null;
        }
        return path.toString();
    }

    /**
     * Why {@code text}, a path's string, is not the file its path names, or null when it is. A name's bytes that are
     * not text in the file system's encoding ({@code sun.jnu.encoding}) become U+FFFD in the string, and the string
     * leads elsewhere: a link named {@code \xff} would be decided as a file named U+FFFD that does not exist.
     */
    private static String undecodable(String text) {
        // U+FFFD is what the lost bytes read as (a name that really holds it is refused with them); comparing the
        // path with one made again from its string would not do: a link's target is kept unnormalised (dir//, dir/).
        return text == null || text.indexOf('\uFFFD') < 0 ? null
                : "a name that is not text in the file system's encoding (" + System.getProperty("sun.jnu.encoding") + ")";
    }

    /** Enum options by name; anything else by its class, never by calling the host's {@code toString}. */
    private static String optionName(Object option) {
        if (option instanceof Enum<?> constant && constant.getDeclaringClass().getClassLoader() == null) {
            return constant.name();
        }
        return option == null ? "null" : "other:" + option.getClass().getName();
    }

    private static FileNotFoundException streamRefusal(Decision decision) {
        if (decision == null || !decision.blocks()) {
            return null;
        }
        FileNotFoundException refusal = new FileNotFoundException(decision.denialMessage());
        refusal.initCause(new ActionDeniedException(decision));
        return refusal;
    }

    /** The {@code IOException} of a refused NIO or {@code File} call; null when the decision does not block. */
    public static IOException ioRefusal(Decision decision) {
        if (decision == null || !decision.blocks()) {
            return null;
        }
        AccessDeniedException refusal = new AccessDeniedException(null, null, decision.denialMessage());
        refusal.initCause(new ActionDeniedException(decision));
        return refusal;
    }
}
