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
 * (the rules, the compiled policies and transformed JDK classes in the cache, the jars it unpacked, the configuration
 * file and the witnesses list it is started with, the clock file of a test) and what makes the receipts evidence (the log, its signing keys, the SIEM stream and the exported
 * checkpoints). An agent whose tools write files could otherwise plant a policy, a cache entry or a class that a
 * later start runs, and one whose tools read files could read the keys that make a forged cache entry or checkpoint
 * pass; a policy that forgot to deny it would let it. So before the rules, a {@code file} action that writes,
 * deletes, moves or links anything inside these (or moves or deletes a directory above them), copies into them, or
 * opens, copies or links one of the keys, is refused as {@link #RULE}, enforced in every mode, with its receipt.
 * Reads and copies out of the directories stay the policy's (an application may show or archive its own receipts).
 * Warden's own writes never come here: the gate marks them internal. A {@code process} start told to work there (its
 * directory, an argument) is refused too: the child's writes pass no {@code file} decision.
 * <p>
 * Paths are compared as the file enricher resolved them (absolute, links followed, a {@code java.io} name as the
 * kernel gets it), a process's as {@link CommandPaths} resolves them; the keys also by the file system's identity of
 * each ({@link WardenSecrets}), so a hard link made before the JVM started is the key too when an action names it.
 * <p>
 * What Warden keeps is protected where its configured name led at start (what this run opened and uses) and where
 * the name leads now ({@link KeptName}): an operator's deploy that flips a symbolic link on the way (a {@code current}
 * link to the next release) makes the new target what the rules' watcher reads and the next start trusts, so it is
 * Warden's from the flip on. The links on the way are Warden's too: a host action that moves, deletes or replaces one
 * (or a directory above it) would make the name lead where the host chose.
 */
public final class OwnFiles implements WardensOwn {

    public static final String RULE = "warden.own-files";

    /** Nothing is Warden's: engines built for tests, replays and rule checks act on no real files. */
    public static final OwnFiles NONE = new OwnFiles(List.of(), List.of(), List.of(), List.of(), null);

    private static final String SURFACE = "file";
    private static final String READ = "READ";
    private static final String WRITE = "WRITE";
    private static final String COPY = "COPY";
    private static final String MOVE = "MOVE";
    private static final String DELETE = "DELETE";
    private static final String LINK = "LINK";
    private static final String PROCESS = "process";

    /** Where the kept names led at start: kept protected for the run, whatever a link on the way is made to hold. */
    private final List<String> directories;
    /** The kept names, followed: where each leads now is protected too. */
    private final List<KeptName> names;
    private final List<String> secrets;
    private final List<Object> secretIdentities;
    /** The rules files below the rules directory that are symbolic links, or null when none are looked for. */
    private final LinkedRuleFiles linkedRules;

    private OwnFiles(List<String> directories, List<KeptName> names, List<String> secrets, List<Object> secretIdentities,
                     LinkedRuleFiles linkedRules) {
        this.directories = directories;
        this.names = names;
        this.secrets = secrets;
        this.secretIdentities = secretIdentities;
        this.linkedRules = linkedRules;
    }

    /**
     * @param directories what Warden keeps (a file here is protected alone), by its configured name
     * @param secrets     files no host action may open
     */
    public static OwnFiles of(Collection<Path> directories, Collection<Path> secrets) {
        List<KeptName> names = new ArrayList<>();
        List<String> atStart = new ArrayList<>();
        for (Path directory : directories) {
            if (directory == null) {
                continue;
            }
            KeptName name = KeptName.of(directory);
            if (names.stream().noneMatch(known -> known.name().equals(name.name()))) {
                names.add(name);
            }
            String path = name.now().path();
            if (!atStart.contains(path)) {
                atStart.add(path);
            }
        }
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
        return new OwnFiles(List.copyOf(atStart), List.copyOf(names), List.copyOf(secretPaths), List.copyOf(identities), null);
    }

    /**
     * These, and where each rules file below {@code rules} (one of the kept names) that is a symbolic link leads
     * ({@link LinkedRuleFiles}): the policy is read through them.
     */
    public OwnFiles withLinkedRules(Path rules) {
        return new OwnFiles(directories, names, secrets, secretIdentities, new LinkedRuleFiles(kept(rules)));
    }

    /** Walks every kept name in full ({@link KeptName#walk}): Warden's control thread's look, a few times a second. */
    public void walkAgain() {
        names.forEach(KeptName::walk);
        if (linkedRules != null) {
            linkedRules.look(); // after the rules' name: below where it leads now, before the watcher reads there
            linkedRules.names().forEach(KeptName::walk);
        }
    }

    /**
     * The kept name {@code configured} is, as the decisions follow it: what Warden reads through it (the rules'
     * watcher, a reload) it reads where the protection covers at that moment ({@link KeptName#walk}).
     *
     * @throws IllegalArgumentException when Warden keeps nothing by that name
     */
    public KeptName kept(Path configured) {
        Path absolute = configured.toAbsolutePath();
        for (KeptName name : names) {
            if (name.name().equals(absolute)) {
                return name;
            }
        }
        throw new IllegalArgumentException(absolute + " is none of the names Warden keeps");
    }

    /**
     * What {@code configured} (the agent's configuration as given: the receipts directory before a per-process
     * chain chose its own) names as Warden's: the rules, the receipts, the cache, the signing keys and the clock
     * file, the SIEM file and the exported checkpoints; and the agent jar and the directory Warden's own jars were
     * unpacked to, which the next start loads again; the configuration file and the witnesses list the next start reads;
     * the receipt logs of java children carrying Warden, and in such a child, what its parents keep (an eleventh review,
     * 2026-12-07: the children's logs were no JVM's to keep, and a child's code wrote its parent's receipts). Directories
     * and files alike: a file is protected alone.
     */
    public static List<Path> kept(dev.warden.agent.config.WardenConfig configured, Path agentJar) {
        List<Path> kept = new ArrayList<>();
        kept.add(configured.rules());
        kept.add(configured.receipts());
        kept.add(configured.cache());
        kept.add(configured.clock());
        kept.add(configured.key());
        kept.add(configured.chain().rotateFrom());
        kept.add(configured.witnessing().export());
        // What the next start reads as it finds it: a host that rewrote them would start it in shadow mode, without the
        // file surface, on rules of its own, or cosigned by a witness of its own (a review, 2026-12-07).
        kept.add(configured.config());
        kept.add(configured.witnessing().list());
        Path siem = configured.siem() == null ? null : configured.siem().file();
        if (siem != null) {
            kept.add(siem);
            for (int rotated = 1; rotated <= configured.siem().files(); rotated++) {
                kept.add(siem.resolveSibling(siem.getFileName() + "." + rotated));
            }
        }
        kept.add(unpacked());
        kept.add(agentJar);
        if (configured.childAgent()) {
            kept.add(configured.childReceipts());
        }
        kept.addAll(configured.parentKept());
        kept.removeIf(Objects::isNull);
        return kept;
    }

    /**
     * The secret files among them, as they are once the log is open (a generated signing key exists only then): the
     * configured signing key and the one a rotation signs from, the keys a log generates in the receipts directory and
     * in {@code chain} (its per-process chain, or the same directory), the cache's MAC key, this JVM's attach
     * listener's socket, which serves the control key, the heap dump of an {@code OutOfMemoryError} the operator
     * asked for ({@link HeapDumpFile}), which holds them all, and in a java child carrying Warden its parents' secrets.
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
        // Not Warden's, but it hands out Warden's control key: moved, linked or copied it would be reached by a name
        // the connect's check does not know (docs/JVM.md).
        secrets.add(dev.warden.bootstrap.jvm.AttachListener.socket());
        // The heap HotSpot dumps on an OutOfMemoryError or a full GC when asked to: every key above is in it. The dumps
        // after the first are numbered (numberedSecrets).
        secrets.addAll(HeapDumpFile.names());
        secrets.addAll(configured.parentSecrets());
        secrets.removeIf(Objects::isNull);
        return secrets;
    }

    /** The secrets HotSpot numbers after the first ({@code NAME.1}, ...): the heap dumps' names. */
    public static List<Path> numberedSecrets() {
        return HeapDumpFile.names();
    }

    /**
     * Where the launcher unpacked Warden's jars: the root above the build this class was loaded from
     * ({@code <root>/<build>/warden/lib/<jar>}), which holds every build, the bootstrap jar the next start puts on the
     * boot class path, and the default cache. Null when the classes come from a directory (a test).
     */
    private static Path unpacked() {
        try {
            java.security.CodeSource source = OwnFiles.class.getProtectionDomain().getCodeSource();
            Path jar = source == null ? null : Path.of(source.getLocation().toURI());
            if (jar == null || !jar.getFileName().toString().endsWith(".jar")) {
                return null;
            }
            Path lib = jar.getParent();
            Path warden = lib.getParent();
            boolean unpackedLayout = lib.endsWith("lib") && warden.endsWith("warden");
            return unpackedLayout ? warden.getParent().getParent() : null; // <root>/<build>/warden/lib
        } catch (java.net.URISyntaxException | RuntimeException unknown) {
            return null;
        }
    }

    /**
     * Why the described action is refused as a touch of Warden's own files, or null when it is the policy's. A read
     * (and a copy's source) is refused only when it opens a key; anything else is refused inside what Warden keeps,
     * and on a directory above it too (a move or a delete of a parent takes the protected directory with it).
     */
    @Override
    public String rule() {
        return RULE;
    }

    @Override
    public String refusal(String surface, ActionDescription action) {
        if (directories.isEmpty() && secrets.isEmpty()) {
            return null;
        }
        if (PROCESS.equals(surface)) {
            return startRefusal(action);
        }
        if (!SURFACE.equals(surface)) {
            return null;
        }
        String operation = action.operation();
        String path = text(action, "file.path");
        String to = text(action, "file.to");
        for (String touched : new String[] {path, to}) {
            if (touched != null && isSecret(touched)) {
                return "Warden's own files: " + touched + " is one of its keys (or this JVM's attach listener, or a process's memory), which no action opens";
            }
        }
        if (READ.equals(operation)) {
            return null;
        }
        String unresolved = text(action, "file.error");
        if (unresolved != null) {
            // The path is only its best lexical reading: a link named in bytes Java cannot read (made by tar, say) may
            // lead into what Warden keeps while the reading does not (a review, 2026-12-07). A policy may have let it.
            return "Warden's own files: where " + (path == null ? "the path" : path) + " leads could not be known ("
                    + unresolved + "), and it may be into what Warden keeps, which no action changes";
        }
        List<KeptName.Resolution> now = now();
        boolean removes = MOVE.equals(operation) || DELETE.equals(operation);
        if (path != null && !COPY.equals(operation) && (within(path, now) || removes && above(path, now))) {
            return "Warden's own files: " + path + (within(path, now) ? " is in" : " holds") + " a directory Warden keeps, which no action changes";
        }
        if (to != null && within(to, now)) {
            return "Warden's own files: " + to + " is in a directory Warden keeps, which no action changes";
        }
        if (path != null && WRITE.equals(operation) && changesAccess(action) && above(path, now)) {
            // Whoever may write a directory may rename what is in it: opened to every local user, the directory above
            // the rules lets any of them put a rules directory of their own in its place (an eleventh review, 2026-12-07).
            return "Warden's own files: " + path + " holds a directory Warden keeps, whose mode and owner no action changes";
        }
        if (path != null && removes && onTheWay(path, now)) {
            return "Warden's own files: " + path + " is (or holds) a symbolic link on the way to what Warden keeps, which no action moves or deletes";
        }
        if (to != null && (MOVE.equals(operation) || COPY.equals(operation)) && onTheWay(to, now)) {
            return "Warden's own files: " + to + " is (or holds) a symbolic link on the way to what Warden keeps, which no action replaces";
        }
        return watchLinks(operation, action, path, to);
    }

    /**
     * A process told to work in what Warden keeps: started there, or given a path there or a key as an argument
     * ({@link CommandPaths}), or an argument that spells one of them out ({@code sh -c "cp x /srv/rules/"}). A child
     * writes where it is told and its writes pass no {@code file} decision: a permitted {@code git clone URL
     * rules/vendor} put a rule file in the rules directory, which {@code rules-watch} then put in force (a review,
     * 2026-12-07). What the child does with the path is unknown here, so a read is refused too. So is a path through a
     * process's descriptors, working directory or root in procfs ({@link ProcessDirectories}).
     */
    private String startRefusal(ActionDescription action) {
        List<KeptName.Resolution> now = now();
        // Where a child starts unless told otherwise, and where a relative directory leads from: the process's own.
        Path jvmDirectory = Path.of(dev.warden.bootstrap.file.JavaIoNames.workingDirectory());
        String directory = CommandPaths.directory(action, jvmDirectory);
        if (directory != null && within(directory, now)) {
            return "Warden's own files: a process started in " + directory + " works in a directory Warden keeps, which no action changes";
        }
        List<String> written = new ArrayList<>();
        written.add(CommandPaths.writtenDirectory(action, jvmDirectory));
        written.addAll(CommandPaths.written(action, jvmDirectory));
        for (String path : written) {
            String through = path == null ? null : ProcessDirectories.through(path);
            if (through != null) {
                return "Warden's own files: a process told of " + path + ", through " + through + ", a process's open files"
                        + " (this JVM's: its receipts, keys and jars), which no action opens";
            }
        }
        for (String path : CommandPaths.arguments(action, jvmDirectory)) {
            if (isSecret(path)) {
                return "Warden's own files: a process told of " + path + ", one of its keys (or this JVM's attach listener), which no action opens";
            }
            if (within(path, now)) {
                return "Warden's own files: a process told of " + path + ", in a directory Warden keeps, which no action changes";
            }
        }
        for (String argument : CommandPaths.arguments(action)) {
            String spelled = spelledOut(argument);
            if (spelled != null) {
                return "Warden's own files: a process told of " + spelled + " in an argument, which Warden keeps and no action changes";
            }
        }
        return null;
    }

    /** Where each kept name leads now: a link flipped since the last decision is followed before any comparison. */
    private List<KeptName.Resolution> now() {
        List<KeptName> linked = linkedRules == null ? List.of() : linkedRules.names();
        List<KeptName.Resolution> now = new ArrayList<>(names.size() + linked.size());
        for (KeptName name : names) {
            now.add(name.now());
        }
        for (KeptName name : linked) {
            now.add(name.now());
        }
        return now;
    }

    /** One of Warden's directories or keys written out inside an argument, followed by no more of a name. */
    private String spelledOut(String argument) {
        List<String> linked = new ArrayList<>();
        if (linkedRules != null) {
            linkedRules.names().forEach(name -> linked.add(name.now().path())); // a rules file linked in: what it leads to
        }
        for (List<String> paths : List.of(directories, secrets, linked)) {
            for (String kept : paths) {
                for (int at = argument.indexOf(kept); at >= 0; at = argument.indexOf(kept, at + 1)) {
                    int end = at + kept.length();
                    if (end == argument.length() || !isNameCharacter(argument.charAt(end))) {
                        return kept;
                    }
                }
            }
        }
        return null;
    }

    private static boolean isNameCharacter(char c) {
        return Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-';
    }

    /**
     * A symbolic link that leads nowhere secret today may once what it names is made to (a link to {@code q/key},
     * then {@code q} made a link to the receipts' parent): reads by the names a host gives symbolic links are looked
     * at like reads by a key's name ({@link WardenSecrets#watch}). Refused when the name is not one the file system
     * shows as written (escaped here) or too many are watched.
     */
    private static String watchLinks(String operation, ActionDescription action, String path, String to) {
        String name = null;
        if (LINK.equals(operation)) {
            name = path; // a hard link too: made to a symbolic link, it is another name for that link
        } else if ((MOVE.equals(operation) || COPY.equals(operation)) && path != null && to != null && isSymbolicLink(path)) {
            name = to;
        }
        if (name == null) {
            return null;
        }
        String last = WardenSecrets.lastComponent(name);
        if (last.indexOf('\\') >= 0) {
            return "Warden's own files: a symbolic link named " + last + " could not be watched for leading to Warden's keys";
        }
        return WardenSecrets.watch(last) ? null
                : "Warden's own files: more than " + WardenSecrets.MOST_WATCHED + " names of symbolic links are watched for leading to Warden's keys";
    }

    private static boolean isSymbolicLink(String path) {
        try {
            return java.nio.file.Files.isSymbolicLink(Path.of(path));
        } catch (java.nio.file.InvalidPathException notAPath) {
            return false;
        }
    }

    private boolean isSecret(String path) {
        if (secrets.contains(path) || WardenSecrets.isNumbered(path) || dev.warden.bootstrap.file.ProcessMemory.isMemory(path)) {
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

    /** Whether the action changes a file's mode or owner ({@code PERMISSIONS} among its options), not only its times. */
    private static boolean changesAccess(ActionDescription action) {
        return action.attributes().get("file.options") instanceof List<?> options
                && options.contains(dev.warden.bootstrap.file.FileActions.PERMISSIONS);
    }

    private static String text(ActionDescription action, String name) {
        return action.attributes().get(name) instanceof String text && !text.isEmpty() ? text : null;
    }

    /** Whether {@code path} is a directory above one Warden keeps (where it led at start, or leads {@code now}). */
    private boolean above(String path, List<KeptName.Resolution> now) {
        for (String directory : directories) {
            if (isAbove(path, directory)) {
                return true;
            }
        }
        for (KeptName.Resolution resolution : now) {
            if (isAbove(path, resolution.path())) {
                return true;
            }
        }
        return false;
    }

    private boolean within(String path, List<KeptName.Resolution> now) {
        for (String directory : directories) {
            if (isWithin(path, directory)) {
                return true;
            }
        }
        for (KeptName.Resolution resolution : now) {
            if (isWithin(path, resolution.path())) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code path} is a symbolic link a kept name goes through now, or a directory above one. */
    private static boolean onTheWay(String path, List<KeptName.Resolution> now) {
        for (KeptName.Resolution resolution : now) {
            for (KeptName.Link link : resolution.links()) {
                if (link.name().equals(path) || isAbove(path, link.name())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isAbove(String path, String below) {
        return below.startsWith(path.endsWith("/") ? path : path + "/");
    }

    private static boolean isWithin(String path, String directory) {
        return path.equals(directory) || path.startsWith(directory.endsWith("/") ? directory : directory + "/");
    }

    /** Where {@code path} leads, as a kept name's is resolved. */
    private static String real(Path path) {
        return KeptName.resolve(path.toAbsolutePath()).path();
    }
}
