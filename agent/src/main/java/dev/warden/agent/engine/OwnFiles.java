package dev.warden.agent.engine;

import dev.warden.bootstrap.file.WardenSecrets;
import dev.warden.instrumentation.api.ActionDescription;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Warden's own files, which no host action touches whatever the policy says: what Warden's next start trusts
 * (the rules, the compiled policies and transformed JDK classes in the cache, its unpacked jars, the clock file
 * of a test) and what makes the receipts evidence (the log, its signing key). An agent whose tools write files
 * could otherwise plant a policy, a cache entry or a class that a later start runs, and one whose tools read
 * files could read the keys that make a forged cache entry or checkpoint pass; a policy that forgot to deny it
 * would let it. So before the rules, a {@code file} action that writes, deletes, moves, copies or links anything
 * inside these directories, or opens one of the secret files at all, is refused as {@link #RULE}, enforced in
 * every mode, with its receipt. Reads elsewhere in the directories stay the policy's (an application may show
 * its own receipts). Warden's own writes never come here: the gate marks them internal.
 * <p>
 * Paths are compared as the enricher resolved them (absolute, links followed); the secrets also by the file
 * system's identity of each ({@link WardenSecrets}), so a hard link made before the JVM started is the key too.
 */
public final class OwnFiles {

    public static final String RULE = "warden.own-files";

    /** Nothing is Warden's: engines built for tests, replays and rule checks act on no real files. */
    public static final OwnFiles NONE = new OwnFiles(List.of(), List.of(), List.of());

    private static final String SURFACE = "file";
    private static final String READ = "READ";
    private static final List<String> PATHS = List.of("file.path", "file.to");

    private final List<String> directories;
    private final List<String> secrets;
    private final List<Object> secretIdentities;

    private OwnFiles(List<String> directories, List<String> secrets, List<Object> secretIdentities) {
        this.directories = directories;
        this.secrets = secrets;
        this.secretIdentities = secretIdentities;
    }

    /**
     * @param directories what Warden keeps (a file here is protected alone); each as its real path when it exists
     * @param secrets     files no host action may open
     */
    public static OwnFiles of(Collection<Path> directories, Collection<Path> secrets) {
        List<String> protectedPaths = new ArrayList<>();
        directories.stream().filter(Objects::nonNull).map(OwnFiles::real).distinct().forEach(protectedPaths::add);
        List<String> secretPaths = new ArrayList<>();
        List<Object> identities = new ArrayList<>();
        for (Path secret : secrets) {
            if (secret == null) {
                continue;
            }
            secretPaths.add(real(secret));
            Object identity = WardenSecrets.identity(secret);
            if (identity != null) {
                identities.add(identity);
            }
        }
        return new OwnFiles(List.copyOf(protectedPaths), List.copyOf(secretPaths), List.copyOf(identities));
    }

    /**
     * What {@code configured} (the agent's configuration as given: the receipts directory before a per-process
     * chain chose its own) names as Warden's: the rules, the receipts, the cache, the signing keys and the clock
     * file; and the directory Warden's own jars were unpacked to, which the next start loads again. Directories
     * and files alike: a file is protected alone.
     */
    public static List<Path> kept(dev.warden.agent.config.WardenConfig configured) {
        List<Path> kept = new ArrayList<>();
        kept.add(configured.rules());
        kept.add(configured.receipts());
        kept.add(configured.cache());
        kept.add(configured.clock());
        kept.add(configured.key());
        kept.add(configured.chain().rotateFrom());
        kept.add(unpackedJars());
        kept.removeIf(Objects::isNull);
        return kept;
    }

    /**
     * The secret files among them, as they are once the log is open (a generated signing key exists only then): the
     * configured signing key and the one a rotation signs from, the keys a log generates in the receipts directory and
     * in {@code chain} (its per-process chain, or the same directory), and the cache's MAC key.
     */
    public static List<Path> secrets(dev.warden.agent.config.WardenConfig configured, Path chain) {
        List<Path> secrets = new ArrayList<>();
        secrets.add(configured.key());
        secrets.add(configured.chain().rotateFrom());
        secrets.add(configured.receipts().resolve(dev.warden.receipts.ReceiptLog.GENERATED_PRIVATE_KEY));
        secrets.add(chain.resolve(dev.warden.receipts.ReceiptLog.GENERATED_PRIVATE_KEY));
        if (configured.cache() != null) {
            secrets.add(configured.cache().resolve(dev.warden.rules.cache.CacheDirectory.KEY_FILE));
        }
        secrets.removeIf(Objects::isNull);
        return secrets;
    }

    /** The directory of the jar this class was loaded from, when it is a jar (the launcher's unpacked build). */
    private static Path unpackedJars() {
        try {
            java.security.CodeSource source = OwnFiles.class.getProtectionDomain().getCodeSource();
            Path location = source == null ? null : Path.of(source.getLocation().toURI());
            return location != null && location.getFileName().toString().endsWith(".jar") ? location.getParent() : null;
        } catch (java.net.URISyntaxException | RuntimeException unknown) {
            return null; // classes from a directory (a test): nothing unpacked to protect
        }
    }

    /** Why the described action is refused as a touch of Warden's own files, or null when it is the policy's. */
    String refusal(String surface, ActionDescription action) {
        if (!SURFACE.equals(surface) || directories.isEmpty() && secrets.isEmpty()) {
            return null;
        }
        boolean read = READ.equals(action.operation());
        for (String name : PATHS) {
            if (!(action.attributes().get(name) instanceof String path) || path.isEmpty()) {
                continue;
            }
            if (isSecret(path)) {
                return "Warden's own files: " + path + " is one of its keys, which no action opens";
            }
            if (!read && within(path)) {
                return "Warden's own files: " + path + " is in a directory Warden keeps, which no action changes";
            }
        }
        return null;
    }

    /** The directories and files protected, for the start line and tests. */
    public List<String> directories() {
        return directories;
    }

    private boolean isSecret(String path) {
        if (secrets.contains(path)) {
            return true;
        }
        if (secretIdentities.isEmpty()) {
            return false;
        }
        try {
            Object identity = WardenSecrets.identity(Path.of(path));
            return identity != null && secretIdentities.contains(identity);
        } catch (java.nio.file.InvalidPathException notAPath) {
            return false; // the enricher's printable form of a name the file system would not take
        }
    }

    private boolean within(String path) {
        for (String directory : directories) {
            if (path.equals(directory) || path.startsWith(directory.endsWith("/") ? directory : directory + "/")) {
                return true;
            }
        }
        return false;
    }

    private static String real(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        try {
            return absolute.toRealPath().toString();
        } catch (IOException | SecurityException notThereYet) {
            return absolute.toString();
        }
    }
}
