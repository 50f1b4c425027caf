package dev.warden.e2e.host;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.FileWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.AbstractSet;
import java.util.Iterator;

/**
 * An ordinary application that writes, moves, deletes and links files through every common java.io
 * and NIO route and knows nothing of Warden. One line per step:
 *
 * <pre>
 *   java FileHost STEP...
 *   STEP = TECHNIQUE|PATH[|PATH2]
 *   TECHNIQUE = fos filewriter printwriter raf files-write files-writestring newoutputstream bufferedwriter
 *               channel async-channel createfile createnewfile tempfile(PATH = directory) tempfile-prefix|DIR|PREFIX
               into-each|DIR|NAME (NAME written into each directory DIR lists) mkdir mkdirs
 *               createdirectory delete files-delete copy move rename symlink hardlink setwritable
 *               unix-bind unix-bind-client (a unix-domain server or client socket bound at PATH: a socket file made there)
 *               prefs-flush|ROOT|USER (java.util.prefs under ROOT, user.name USER, one key flushed; last: sets both
 *               properties for good)
 *               setwritable-all|PATH (java.io: writable by every user)
 *               chmod|PATH|PERMISSIONS (Files.setPosixFilePermissions, e.g. rwxrwxrwx) retime (Files.setLastModifiedTime to 1970)
 *               read fis raf-read throwing-options (newByteChannel with an option set whose iterator throws)
 *               throwing-rename (PATH renamed to a File subclass of PATH2 whose getPath throws)
 *               throwing-temp-dir (createTempFile in a File subclass of PATH whose getPath throws)
 *               mkdirs-subclass|PATH|ELSEWHERE (mkdirs of a File subclass of PATH whose mkdir makes ELSEWHERE/via-mkdir
 *               and whose getCanonicalFile names ELSEWHERE/canonical/sub)
 *               sds-write|DIR|NAME sds-read|DIR|NAME sds-delete|DIR|NAME sds-rmdir|DIR|NAME sds-move|DIR|NAME|DIR2|NAME2
 *               (through the SecureDirectoryStream of DIR: NAME as given, relative to DIR or absolute)
 *               sds-chmod|DIR|NAME|PERMS sds-retime|DIR|NAME sds-chown|DIR|NAME (through the attribute views that
 *               stream gives: NAME "-" is the stream's own view of DIR, changed through its descriptor; chown to the
 *               file's own owner and group, which needs no privilege; retime to 1970)
 *               await|LABEL (prints "WAITING LABEL", then waits for a line on stdin: the test acts meanwhile)
 *               oom|- (asks for an array larger than the heap: an OutOfMemoryError, caught)
 *               peek|PATH (opens PATH for reading with a FileInputStream and reads its first four bytes)
 *               jfr|PATH (a JFR recording in memory, its destination PATH, started and stopped: the JVM writes PATH)
 *               jfr-relinked|PATH|DIR|TO (the same, but once started, DIR, a directory on PATH's way, is removed and made
 *               a symbolic link to TO before the recording is stopped)
 *   In a PATH, {NUL} is a NUL character and {LONE} an unpaired surrogate (a name no charset can encode), {HUGE} a name
 *   of 20 million characters (more than a command line carries).
 *   out: OK step=N ...  |  FALSE step=N (a java.io.File method said no)  |  REFUSED step=N thrown=T message=M
 * </pre>
 */
public final class FileHost {

    private static final byte[] PAYLOAD = "written by the host\n".getBytes(StandardCharsets.UTF_8);
    /** The length of {@code {HUGE}}: a receipt holding it twice would be more than the 16 MiB the log appends. */
    private static final int HUGE = 20_000_000;
    /** One reader for every {@code await}: a second would lose what the first buffered. */
    private static final java.io.BufferedReader STDIN = new java.io.BufferedReader(
            new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8));

    public static void main(String[] args) {
        for (int step = 0; step < args.length; step++) {
            System.out.println(run(step, args[step]));
        }
        System.out.println("DONE");
    }

    private static String run(int step, String spec) {
        String[] parts = spec.split("\\|", -1);
        String technique = parts[0];
        String path = unescape(parts[1]);
        String other = parts.length > 2 ? unescape(parts[2]) : null;
        try {
            Object result = technique.startsWith("sds-") ? secure(technique, parts)
                    : technique.startsWith("jfr") ? recording(technique, parts) : act(technique, path, other);
            if (Boolean.FALSE.equals(result)) {
                return "FALSE step=" + step;
            }
            return "OK step=" + step + " result=" + result;
        } catch (Throwable thrown) {
            return "REFUSED step=" + step + " thrown=" + thrown.getClass().getName() + " message=" + shown(thrown.getMessage())
                    + " cause=" + (thrown.getCause() == null ? null : thrown.getCause().getClass().getName());
        }
    }

    /**
     * A JFR recording kept in memory whose destination is {@code parts[1]}: its {@code stop()} has the JVM write it. For
     * {@code jfr-relinked}, a directory on the destination's way is swapped for a link between {@code start} and {@code stop}.
     */
    private static Object recording(String technique, String[] parts) throws Exception {
        Path destination = Path.of(parts[1]);
        jdk.jfr.Recording recording = new jdk.jfr.Recording();
        recording.setToDisk(false);
        recording.setDestination(destination);
        recording.start();
        if (technique.equals("jfr-relinked")) {
            Path directory = Path.of(parts[2]);
            try (var walk = Files.walk(directory)) {
                for (Path inside : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(inside);
                }
            }
            Files.createSymbolicLink(directory, Path.of(parts[3]));
        }
        recording.stop();
        recording.close();
        return Files.size(destination);
    }

    /** A message naming a {HUGE} path, its beginning and its end (the receipt it names): not 40 MB of output. */
    private static String shown(String message) {
        if (message == null || message.length() <= 100_000) {
            return message;
        }
        return message.substring(0, 2_000) + "..." + message.substring(message.length() - 2_000);
    }

    private static Object act(String technique, String path, String other) throws Exception {
        switch (technique) {
            case "fos" -> {
                try (OutputStream out = new FileOutputStream(path)) {
                    out.write(PAYLOAD);
                }
            }
            case "filewriter" -> {
                try (Writer out = new FileWriter(path, StandardCharsets.UTF_8)) {
                    out.write("written by the host\n");
                }
            }
            case "printwriter" -> {
                try (PrintWriter out = new PrintWriter(new File(path), StandardCharsets.UTF_8)) {
                    out.println("written by the host");
                }
            }
            case "raf" -> {
                try (RandomAccessFile file = new RandomAccessFile(path, "rw")) {
                    file.write(PAYLOAD);
                }
            }
            case "files-write" -> Files.write(Path.of(path), PAYLOAD);
            case "files-writestring" -> Files.writeString(Path.of(path), "written by the host\n");
            case "newoutputstream" -> {
                try (OutputStream out = Files.newOutputStream(Path.of(path))) {
                    out.write(PAYLOAD);
                }
            }
            case "bufferedwriter" -> {
                try (Writer out = Files.newBufferedWriter(Path.of(path))) {
                    out.write("written by the host\n");
                }
            }
            case "channel" -> {
                try (FileChannel channel = FileChannel.open(Path.of(path), StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
                    channel.write(ByteBuffer.wrap(PAYLOAD));
                }
            }
            case "async-channel" -> {
                try (AsynchronousFileChannel channel = AsynchronousFileChannel.open(Path.of(path), StandardOpenOption.WRITE,
                        StandardOpenOption.CREATE)) {
                    channel.write(ByteBuffer.wrap(PAYLOAD), 0).get();
                }
            }
            case "createfile" -> Files.createFile(Path.of(path));
            case "createnewfile" -> {
                return new File(path).createNewFile();
            }
            case "tempfile" -> {
                return File.createTempFile("warden", ".tmp", new File(path));
            }
            case "tempfile-prefix" -> {
                return File.createTempFile(other, ".tmp", new File(path));
            }
            case "into-each" -> { // a tool that writes a note into every folder it lists, as the listing names them
                int written = 0;
                int refused = 0;
                try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of(path))) {
                    for (Path entry : entries) {
                        if (Files.isDirectory(entry)) {
                            try {
                                Files.write(entry.resolve(other), PAYLOAD);
                                written++;
                            } catch (IOException denied) {
                                refused++;
                            }
                        }
                    }
                }
                return "written=" + written + " refused=" + refused;
            }
            case "mkdir" -> {
                return new File(path).mkdir();
            }
            case "mkdirs" -> {
                return new File(path).mkdirs();
            }
            case "mkdirs-subclass" -> {
                return new ElsewhereFile(path, other).mkdirs();
            }
            case "createdirectory" -> Files.createDirectory(Path.of(path));
            case "await" -> {
                System.out.println("WAITING " + path);
                System.out.flush();
                return STDIN.readLine();
            }
            case "delete" -> {
                return new File(path).delete();
            }
            case "files-delete" -> Files.delete(Path.of(path));
            case "copy" -> Files.copy(Path.of(path), Path.of(other));
            case "move" -> Files.move(Path.of(path), Path.of(other));
            case "rename" -> {
                return new File(path).renameTo(new File(other));
            }
            case "unix-bind" -> { // a unix-domain server socket bound at PATH: the kernel makes a socket file there
                try (java.nio.channels.ServerSocketChannel server = java.nio.channels.ServerSocketChannel.open(
                        java.net.StandardProtocolFamily.UNIX)) {
                    server.bind(java.net.UnixDomainSocketAddress.of(path));
                    return server.getLocalAddress();
                }
            }
            case "unix-bind-client" -> { // a unix-domain client socket bound at PATH before any connect
                try (java.nio.channels.SocketChannel client = java.nio.channels.SocketChannel.open(
                        java.net.StandardProtocolFamily.UNIX)) {
                    client.bind(java.net.UnixDomainSocketAddress.of(path));
                    return client.getLocalAddress();
                }
            }
            case "prefs-flush" -> { // java.util.prefs rooted at PATH for a user named OTHER (a name that may hold ../)
                System.setProperty("java.util.prefs.userRoot", path);
                System.setProperty("user.name", other);
                java.util.prefs.Preferences node = java.util.prefs.Preferences.userRoot().node("warden-e2e");
                node.put("key", "value");
                try {
                    node.flush();
                } catch (java.util.prefs.BackingStoreException failed) {
                    return false; // the JDK's own word that it could not sync (no lock, no directory)
                }
            }
            case "symlink" -> Files.createSymbolicLink(Path.of(path), Path.of(other));
            case "hardlink" -> Files.createLink(Path.of(path), Path.of(other));
            case "chmod" -> Files.setPosixFilePermissions(Path.of(path),
                    java.nio.file.attribute.PosixFilePermissions.fromString(other));
            case "retime" -> Files.setLastModifiedTime(Path.of(path), java.nio.file.attribute.FileTime.fromMillis(0));
            case "setwritable-all" -> { // writable by every user, with java.io
                return new File(path).setWritable(true, false);
            }
            case "setwritable" -> {
                return new File(path).setWritable(false);
            }
            case "read" -> {
                return Files.readAllBytes(Path.of(path)).length;
            }
            case "gc" -> {
                System.gc(); // a full GC: with -XX:+HeapDumpBeforeFullGC, HotSpot dumps the heap first
                return "gc";
            }
            case "oom" -> {
                try {
                    return new long[Integer.MAX_VALUE - 8].length;
                } catch (OutOfMemoryError expected) {
                    return "OutOfMemoryError";
                }
            }
            case "peek" -> {
                try (FileInputStream in = new FileInputStream(path)) {
                    return new String(in.readNBytes(4), StandardCharsets.ISO_8859_1);
                }
            }
            case "raf-read" -> {
                try (RandomAccessFile file = new RandomAccessFile(path, "r")) {
                    byte[] content = new byte[(int) file.length()];
                    file.readFully(content);
                    return content.length;
                }
            }
            case "fis" -> {
                try (FileInputStream in = new FileInputStream(path)) {
                    return in.readAllBytes().length;
                }
            }
            case "throwing-options" -> {
                try (SeekableByteChannel channel = Files.newByteChannel(Path.of(path), new ThrowingOptions())) {
                    channel.write(ByteBuffer.wrap(PAYLOAD));
                }
            }
            case "throwing-rename" -> {
                return new File(path).renameTo(new UnreadableFile(other));
            }
            case "throwing-temp-dir" -> {
                return File.createTempFile("warden", ".tmp", new UnreadableFile(path));
            }
            default -> throw new IllegalArgumentException("unknown technique " + technique);
        }
        return "done";
    }

    /** Through the directory stream Linux gives for a directory, a SecureDirectoryStream: openat, unlinkat, renameat. */
    private static Object secure(String technique, String[] parts) throws Exception {
        try (java.nio.file.DirectoryStream<Path> opened = Files.newDirectoryStream(Path.of(parts[1]))) {
            java.nio.file.SecureDirectoryStream<Path> directory = (java.nio.file.SecureDirectoryStream<Path>) opened;
            Path name = Path.of(parts[2]);
            switch (technique) {
                case "sds-write" -> {
                    try (SeekableByteChannel channel = directory.newByteChannel(name, java.util.Set.of(StandardOpenOption.WRITE,
                            StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING))) {
                        channel.write(ByteBuffer.wrap(PAYLOAD));
                    }
                }
                case "sds-read" -> {
                    try (SeekableByteChannel channel = directory.newByteChannel(name, java.util.Set.of(StandardOpenOption.READ))) {
                        return channel.size();
                    }
                }
                case "sds-chmod" -> posixView(directory, parts[2]).setPermissions(
                        java.nio.file.attribute.PosixFilePermissions.fromString(parts[3]));
                case "sds-retime" -> posixView(directory, parts[2]).setTimes(
                        java.nio.file.attribute.FileTime.fromMillis(0), null, null);
                case "sds-chown" -> {
                    java.nio.file.attribute.PosixFileAttributeView view = posixView(directory, parts[2]);
                    java.nio.file.attribute.PosixFileAttributes attributes = view.readAttributes();
                    view.setOwner(attributes.owner());
                    view.setGroup(attributes.group());
                }
                case "sds-delete" -> directory.deleteFile(name);
                case "sds-rmdir" -> directory.deleteDirectory(name);
                case "sds-move" -> {
                    try (java.nio.file.DirectoryStream<Path> to = Files.newDirectoryStream(Path.of(parts[3]))) {
                        directory.move(name, (java.nio.file.SecureDirectoryStream<Path>) to, Path.of(parts[4]));
                    }
                }
                default -> throw new IllegalArgumentException("unknown technique " + technique);
            }
        }
        return "done";
    }

    /** The stream's own view of its directory ("-"), or the view of a name in it. */
    private static java.nio.file.attribute.PosixFileAttributeView posixView(java.nio.file.SecureDirectoryStream<Path> directory,
                                                                           String name) {
        return "-".equals(name) ? directory.getFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)
                : directory.getFileAttributeView(Path.of(name), java.nio.file.attribute.PosixFileAttributeView.class);
    }

    private static String unescape(String path) {
        String unescaped = path.replace("{NUL}", "\0").replace("{LONE}", "\ud800");
        return unescaped.contains("{HUGE}") ? unescaped.replace("{HUGE}", "h".repeat(HUGE)) : unescaped;
    }

    /** An option set the host implements itself, whose iteration fails: what Warden reads throws. */
    private static final class ThrowingOptions extends AbstractSet<OpenOption> {
        @Override
        public Iterator<OpenOption> iterator() {
            throw new IllegalStateException("the host's option set cannot be iterated");
        }

        @Override
        public int size() {
            return 2;
        }
    }

    /**
     * A {@code File} of the host's own class that cannot say its path (the JDK's native code reads the
     * path field, which the constructor set, so the file system would act on it all the same).
     */
    private static final class UnreadableFile extends File {
        UnreadableFile(String path) {
            super(path);
        }

        @Override
        public String getPath() {
            throw new IllegalStateException("the host's file object cannot say its path");
        }
    }

    /**
     * A {@code File} of the host's own class whose methods that the JDK's {@code mkdirs} calls on it make directories
     * elsewhere: its {@code mkdir} makes another one with a plain {@code File} and says it could not make its own, so
     * {@code mkdirs} goes on to the parents of its {@code getCanonicalFile}, which names another place.
     */
    private static final class ElsewhereFile extends File {
        private final String elsewhere;

        ElsewhereFile(String path, String elsewhere) {
            super(path);
            this.elsewhere = elsewhere;
        }

        @Override
        public boolean mkdir() {
            new File(elsewhere, "via-mkdir").mkdir();
            return false;
        }

        @Override
        public File getCanonicalFile() {
            return new File(elsewhere, "canonical/sub");
        }
    }

    private FileHost() {
    }
}
