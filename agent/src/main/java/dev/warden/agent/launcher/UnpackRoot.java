package dev.warden.agent.launcher;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where Warden's jars are unpacked, which later starts load as Warden: {@code $TMPDIR/warden-$USER}, this user's
 * alone, or else a private {@code warden-private-*} directory beside it that later starts reuse. The default cache of
 * compiled policies goes there too. What the choice found worth saying is kept in {@code warnings}, for the agent to
 * log once its configuration says how much to say (the launcher runs before Warden's logger can be loaded).
 *
 * @param directory the directory the builds are unpacked under
 * @param warnings  what an operator should hear of the choice, each a line without Warden's prefix
 */
record UnpackRoot(Path directory, List<String> warnings) {

    /** The prefix of a private directory unpacked into when {@code $TMPDIR/warden-$USER} cannot be trusted. */
    private static final String FALLBACK = "warden-private-";

    UnpackRoot {
        warnings = List.copyOf(warnings);
    }

    /** The directory this JVM unpacks under, as its {@code java.io.tmpdir} and user allow. */
    static UnpackRoot choose() throws IOException {
        List<String> warnings = new ArrayList<>();
        Path temporary = Path.of(System.getProperty("java.io.tmpdir")).toRealPath();
        String controlled = otherUserControls(temporary);
        if (controlled != null) {
            warnings.add("java.io.tmpdir " + temporary + " is not safe for Warden's jars: " + controlled
                    + ", and could replace Warden's jars with theirs between this check and their use (make it sticky,"
                    + " chmod +t, or give the JVM a java.io.tmpdir that only root and this user may change)");
        }
        Path root = temporary.resolve("warden-" + userName());
        try {
            Files.createDirectory(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException alreadyThere) {
            // verified below
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectories(root);
            return new UnpackRoot(root, warnings);
        }
        if (Files.getFileAttributeView(root, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS) == null || ownerOnly(root)) {
            return new UnpackRoot(root, warnings);
        }
        // Someone else could plant jars there (another user made it first, or may write in it): a private directory of
        // this user's instead, the one an earlier start made if there is one, so that starts do not each leave a build.
        Path own = ownerOnlyBeside(root);
        warnings.add(root + " is not this user's alone; Warden's jars are unpacked in " + own + " instead");
        return new UnpackRoot(own, warnings);
    }

    /** Says the warnings on the standard error, as Warden's logger would: where there is no logger to hand them to. */
    void printWarnings() {
        warnings.forEach(warning -> System.err.println("warden: WARNING: " + warning));
    }

    /**
     * {@code user.name}, or this process's user id where the JVM could not name the user: it says "?" for every id
     * without a passwd entry (as containers run), and two such ids sharing a temporary directory would share the name.
     */
    private static String userName() {
        String name = System.getProperty("user.name", "");
        if (!name.isEmpty() && !name.equals("?") && name.indexOf('/') < 0 && name.indexOf('\\') < 0) {
            return name;
        }
        Integer uid = processUid();
        return uid == null ? "unnamed" : uid.toString();
    }

    /**
     * Who besides root and this user could replace what is unpacked under {@code temporary}, or {@code null} for nobody:
     * each directory from it up must be root's or this user's, and others may write in it only if it is sticky (as
     * {@code /tmp} is); in any other, another user could rename Warden's directory away and put one of theirs in its
     * place. The start goes on, with a warning, for there is no safer place to choose: a Kubernetes {@code emptyDir}
     * is open to all without the sticky bit, and in a user namespace root's directories belong to an unmapped id. The
     * rules' {@code CacheDirectory} asks the same of the cache's directories, and bears such a directory only above
     * Warden's own jars, as here.
     */
    private static String otherUserControls(Path temporary) throws IOException {
        for (Path above = temporary; above != null; above = above.getParent()) {
            Map<String, Object> unix;
            try {
                unix = Files.readAttributes(above, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
            } catch (UnsupportedOperationException | IllegalArgumentException notUnix) {
                return null; // no owners to compare (Windows): not checked
            }
            int mode = (Integer) unix.get("mode");
            if ((Integer) unix.get("uid") != 0 && !ownedByThisProcess(above)) {
                return "user id " + unix.get("uid") + " owns " + above;
            }
            if ((mode & 0022) != 0 && (mode & 01000) == 0) {
                return "others may write in " + above + " without the sticky bit";
            }
        }
        return null;
    }

    private static boolean ownerOnly(Path directory) {
        try {
            PosixFileAttributes attributes = Files.readAttributes(directory, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            Set<PosixFilePermission> permissions = attributes.permissions();
            return attributes.isDirectory() && ownedByThisProcess(directory)
                    && !permissions.contains(PosixFilePermission.GROUP_WRITE) && !permissions.contains(PosixFilePermission.OTHERS_WRITE);
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
    }

    /**
     * A {@code warden-private-*} directory beside {@code root} that is this user's alone (the first by name, so that
     * every start picks the same), made if there is none or the directory cannot be listed. Others' directories of that
     * name are passed over however many there are: counting them against a bound would let another user push this
     * user's out of it, and make every start unpack a hundred megabytes anew.
     */
    private static Path ownerOnlyBeside(Path root) throws IOException {
        Path chosen = null;
        try (DirectoryStream<Path> beside = Files.newDirectoryStream(root.getParent(), FALLBACK + "*")) {
            for (Path candidate : beside) {
                if ((chosen == null || candidate.getFileName().toString().compareTo(chosen.getFileName().toString()) < 0)
                        && ownerOnly(candidate)) {
                    chosen = candidate;
                }
            }
        } catch (IOException | RuntimeException unlisted) {
            chosen = null; // a temporary directory others may not list (1733): make one
        }
        return chosen != null ? chosen : Files.createTempDirectory(root.getParent(), FALLBACK);
    }

    /**
     * Whether {@code directory} (a link is not followed) belongs to the user this process runs as: by user id, where
     * procfs says whose this process is (Linux), which no other user can change; else by name, {@code user.name}. Not
     * by name alone: a user id without a passwd entry, as containers often run, is named "?" in {@code user.name} and
     * by number on its files, and every start then unpacked into a new directory of its own, never removed. The rules'
     * {@code CacheDirectory} asks the same of a cache directory: the launcher runs before any class of the nested jars
     * can be loaded, so it asks on its own.
     */
    private static boolean ownedByThisProcess(Path directory) {
        Integer uid = processUid();
        try {
            if (uid == null) {
                return Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"));
            }
            return uid.equals(Files.getAttribute(directory, "unix:uid", LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
    }

    /** This process's user id, from procfs; null where there is none. */
    private static Integer processUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException noProcfs) {
            return null;
        }
    }
}
