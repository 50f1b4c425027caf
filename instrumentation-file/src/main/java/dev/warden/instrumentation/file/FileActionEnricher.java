package dev.warden.instrumentation.file;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.file.FileActions;
import dev.warden.bootstrap.file.JavaIoNames;
import dev.warden.instrumentation.api.ActionDescription;
import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.instrumentation.api.FactModel;
import dev.warden.instrumentation.api.RealPath;
import dev.warden.instrumentation.api.RecordedFacts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Describes a {@code file} action on the path it really touches: made absolute against the working
 * directory the JVM started in (NIO's {@code user.dir}; for a {@code java.io} name, the process's own, which the
 * kernel resolves it from), {@code ..} and symbolic links resolved as the kernel will resolve them
 * ({@link RealPath}). A write through a link is a write to the link's target; a delete or a rename
 * acts on the link itself. Rules see {@code file.path} (and {@code file.to} for a move, copy or link);
 * every string is made printable first (NUL, control characters and unpaired surrogates escaped), so
 * that a hostile name neither hides a prefix from a rule nor breaks the receipt.
 */
final class FileActionEnricher implements ActionEnricher {

    /** Only what is derived here: the advice's raw parts ({@code file.call}, ...) do not reach rules. */
    static final FactModel FACTS = FactModel.of(Set.of(FileActions.READ, FileActions.WRITE, FileActions.DELETE, FileActions.MOVE,
            FileActions.COPY, FileActions.LINK, FileActions.MKDIR), Set.of(
            "file.path", "file.path.raw", "file.exists", "file.link", "file.to", "file.to.raw", "file.to.exists",
            "file.links", "file.error", "file.options", "file.via")).withTargetAttributes("file.path", "file.to");

    /** Where NIO resolves a relative path from: {@code user.dir} as the JDK read it at start. */
    private final String workingDirectory;
    /**
     * Where the kernel resolves a relative {@code java.io} name from, which {@code java.io} hands over unresolved: the
     * process's working directory ({@link JavaIoNames#workingDirectory}). The same as {@code user.dir} unless the JVM
     * was started with {@code -Duser.dir} naming another; then {@code new FileOutputStream("x")} writes there.
     */
    private final String javaIoDirectory;
    private final String temporaryDirectory;

    FileActionEnricher() {
        this(System.getProperty("user.dir"), JavaIoNames.workingDirectory(), System.getProperty("java.io.tmpdir"));
    }

    FileActionEnricher(String workingDirectory, String temporaryDirectory) {
        this(workingDirectory, workingDirectory, temporaryDirectory);
    }

    /** Captured once, at start, as the JDK and the kernel hold them: changing the properties later moves nothing. */
    FileActionEnricher(String workingDirectory, String javaIoDirectory, String temporaryDirectory) {
        this.workingDirectory = workingDirectory;
        this.javaIoDirectory = javaIoDirectory;
        this.temporaryDirectory = temporaryDirectory;
    }

    @Override
    public FactModel facts() {
        return FACTS;
    }

    @Override
    public ActionDescription describe(ActionRequest request) {
        Map<String, Object> raw = request.attributes();
        String operation = request.operation();
        List<String> options = strings(raw.get(FileActions.OPTIONS));
        String via = String.valueOf(raw.get(FileActions.VIA));
        String rawPath = (String) raw.get(FileActions.PATH_RAW);
        String tempName = (String) raw.get(FileActions.TEMP_NAME);
        if (tempName != null) {
            rawPath = (rawPath == null ? temporaryDirectory : rawPath) + "/" + tempName;
        }
        rawPath = rawPath == null ? "" : rawPath;
        boolean javaIo = !via.startsWith("nio.");
        boolean noFollow = options.contains("NOFOLLOW_LINKS");
        String base = javaIo ? javaIoDirectory : workingDirectory;
        RealPath path = RealPath.resolve(absolute(javaIo ? JavaIoNames.asOpened(rawPath) : rawPath, base),
                followsPath(operation) && !noFollow);

        Map<String, Object> facts = new TreeMap<>();
        Map<String, String> summary = new TreeMap<>();
        put(facts, summary, "file.path", printable(path.path()));
        facts.put("file.path.raw", printable(rawPath));
        if (!printable(rawPath).equals(printable(path.path()))) {
            summary.put("file.path.raw", printable(rawPath));
        }
        facts.put("file.exists", path.exists());
        summary.put("file.exists", Boolean.toString(path.exists()));
        int links = path.links();
        String error = path.error();

        String rawTo = (String) raw.get(FileActions.TO_RAW);
        if (rawTo != null) {
            String toBase = base;
            if (operation.equals(FileActions.LINK) && via.endsWith("createSymbolicLink")) {
                toBase = parentOf(absolute(rawPath, base)); // a link's target is read from where the link is
                put(facts, summary, "file.link", "symbolic");
            } else if (operation.equals(FileActions.LINK)) {
                put(facts, summary, "file.link", "hard");
            }
            boolean followTo = operation.equals(FileActions.LINK);
            RealPath to = RealPath.resolve(absolute(javaIo ? JavaIoNames.asOpened(rawTo) : rawTo, toBase), followTo);
            put(facts, summary, "file.to", printable(to.path()));
            facts.put("file.to.raw", printable(rawTo));
            if (!printable(rawTo).equals(printable(to.path()))) {
                summary.put("file.to.raw", printable(rawTo));
            }
            facts.put("file.to.exists", to.exists());
            links += to.links();
            error = error != null ? error : to.error();
        }
        Object undecodable = raw.get(FileActions.UNDECODABLE);
        if (undecodable != null) {
            error = undecodable.toString(); // before the walk's: the path walked is not the one the call names
        }
        facts.put("file.links", (long) links);
        if (links > 0) {
            summary.put("file.links", Integer.toString(links));
        }
        if (error != null) {
            put(facts, summary, "file.error", error);
        }
        List<String> printableOptions = new ArrayList<>(options.size());
        options.forEach(option -> printableOptions.add(printable(option)));
        facts.put("file.options", List.copyOf(printableOptions));
        if (!printableOptions.isEmpty()) {
            summary.put("file.options", String.join(",", printableOptions));
        }
        put(facts, summary, "file.via", via);

        String target = (String) facts.get("file.path");
        Set<String> targets = new LinkedHashSet<>();
        targets.add(target);
        if (facts.get("file.to") != null) {
            targets.add((String) facts.get("file.to"));
        }
        return new ActionDescription(operation, target, targets, facts, summary);
    }

    /** The file action as recorded: its targets are its path and, for a move or copy, where to. */
    @Override
    public ActionDescription recorded(String operation, String target, Map<String, String> summary) {
        Map<String, Object> facts = RecordedFacts.typed(summary, Set.of());
        facts.put("file.options", List.copyOf(RecordedFacts.list(summary.get("file.options"))));
        Set<String> targets = new LinkedHashSet<>();
        targets.add(target);
        if (summary.get("file.to") != null) {
            targets.add(summary.get("file.to"));
        }
        return new ActionDescription(operation, target, targets, facts, summary);
    }

    /** Opening and changing a file's metadata go through a final link; deleting, renaming, linking and mkdir do not. */
    private static boolean followsPath(String operation) {
        return operation.equals(FileActions.READ) || operation.equals(FileActions.WRITE) || operation.equals(FileActions.COPY);
    }

    static String absolute(String raw, String base) {
        if (raw.startsWith("/")) {
            return raw;
        }
        return raw.isEmpty() ? base : base + "/" + raw;
    }

    private static String parentOf(String absolute) {
        String lexical = RealPath.lexical(absolute);
        int slash = lexical.lastIndexOf('/');
        return slash <= 0 ? "/" : lexical.substring(0, slash);
    }

    private static void put(Map<String, Object> facts, Map<String, String> summary, String name, String value) {
        facts.put(name, value);
        summary.put(name, value);
    }

    private static List<String> strings(Object value) {
        List<String> strings = new ArrayList<>();
        if (value instanceof Collection<?> collection) {
            collection.forEach(element -> strings.add(String.valueOf(element)));
        }
        return strings;
    }

    /**
     * The string with NUL and other control characters as {@code \0}, {@code \x1b}, and unpaired
     * surrogates as {@code \ud800}: what a person reads in a receipt, and what a rule compares.
     */
    static String printable(String value) {
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String escape = null;
            if (c == 0) {
                escape = "\\0";
            } else if (c < 0x20 || c == 0x7f) {
                escape = String.format("\\x%02x", (int) c);
            } else if (c == '\\') {
                escape = "\\\\";
            } else if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                if (out != null) {
                    out.append(c).append(value.charAt(i + 1));
                }
                i++;
                continue;
            } else if (Character.isSurrogate(c)) {
                escape = String.format("\\u%04x", (int) c);
            }
            if (escape != null && out == null) {
                out = new StringBuilder(value.length() + 8).append(value, 0, i);
            }
            if (out != null) {
                out.append(escape != null ? escape : String.valueOf(c));
            }
        }
        return out == null ? value : out.toString();
    }
}
