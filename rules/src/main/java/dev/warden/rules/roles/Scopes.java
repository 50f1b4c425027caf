package dev.warden.rules.roles;

import dev.warden.rules.Action;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * How actions are seen as scope paths, and the checks the rules compiled from role policies call.
 *
 * <pre>
 * tool    tool:&lt;tool name split at _ . - /&gt;         tool:email:send        (email_send)
 * jdbc    jdbc:&lt;table&gt;:&lt;operation&gt;  one per table  jdbc:customers:select
 * http    http:&lt;host&gt;:&lt;method&gt;                        http:api.example.com:post
 * model   model:&lt;model name&gt;:chat                    model:gpt-4o:chat
 * other   &lt;surface&gt;:&lt;target&gt;:&lt;operation&gt;
 * </pre>
 *
 * Everything is lower-cased but a table's quoted name ({@code "Invoice"}, {@code public."Invoice"}),
 * which is what it is only in its case. Labels that classification rules attached ({@code external})
 * are matched by the scope's trailing segments.
 *
 * <p>An allow covers an action's paths as given ({@link #pathsOf}): {@code process:ls:exec} permits
 * the program {@code ls} as the JDK finds it along {@code PATH}, never {@code /tmp/ls}. A deny, tier,
 * limit or chain matches any name the action goes by ({@link #namesOf}): a program also by its real
 * path and its file name, so {@code process:rm:exec} holds {@code /usr/bin/../bin/rm} and a link named
 * {@code x} to {@code rm} as well as {@code rm}. No allow covers a start that runs what its arguments or environment
 * tell it: a launcher given a program, an interpreter given code, a tool given an option that runs a command
 * ({@code process.launcher}: {@code env touch x}, {@code python3 -c}, {@code tar --to-command}), a shell given a script
 * ({@code process.shell}), a JVM's hooks ({@code process.java.hooks}), a variable that makes a program load or run code
 * ({@code process.env.code}: {@code LD_PRELOAD}, {@code BASH_ENV}, {@code TAR_OPTIONS}).
 */
public final class Scopes {

    /** A quote and a backslash, for the rules compiled from role policies to join into a scope (Drools unescapes {@code \"}). */
    public static final String QUOTE = "\"";
    public static final String BACKSLASH = "\\";
    /** The facts that name what a process start runs, beside the program as given. */
    private static final List<String> PROCESS_NAMES = List.of("process.program.path");
    /** The facts that name the library a native load or link maps. */
    private static final List<String> NATIVE_NAMES = List.of("native.path", "native.name", "native.file", "native.library");
    /** Every fact {@link #namesOf} reads: what a past action, read back from its receipt, must keep of its summary. */
    public static final List<String> NAME_FACTS = List.of("process.program.path", "native.path", "native.name", "native.file",
            "native.library", "sql.statements");
    /** How many statements a {@code jdbc} action's SQL stacks ({@code SELECT 1; DROP TABLE t} is 2). */
    private static final String SQL_STATEMENTS = "sql.statements";
    /** The {@code jdbc} operations from the mildest to the strongest, as the SQL reading ranks them ({@code SqlOperation}). */
    private static final List<String> JDBC_OPERATIONS = List.of("other", "select", "call", "insert", "merge", "update", "delete", "ddl");
    private static final Pattern TOOL_SEPARATORS = Pattern.compile("[_.\\-/]+");
    private static final int MAX_CACHED = 4096;
    private static final ConcurrentHashMap<String, Scope> PARSED = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, List<String>> SPLIT_TOOL_NAMES = new ConcurrentHashMap<>();

    private Scopes() {
    }

    /** Whether every path of the action is covered by at least one of the scopes. */
    public static boolean coverAll(Action action, String... scopes) {
        if (action.flag("process.launcher") || action.flag("process.shell") || !action.names("process.java.hooks").isEmpty()
                || !action.names("process.env.code").isEmpty()) {
            // env, sudo, python3 -c, tar --to-command, sh -c, a JVM's -XX:OnError, LD_PRELOAD run what they are told,
            // which no scope of the program's names
            return false;
        }
        List<List<String>> paths = pathsOf(action);
        if (paths.isEmpty()) {
            return false;
        }
        Set<String> labels = action.getLabels();
        for (List<String> path : paths) {
            boolean covered = false;
            for (String scope : scopes) {
                if (scope(scope).matches(path, labels)) {
                    covered = true;
                    break;
                }
            }
            if (!covered) {
                return false;
            }
        }
        return true;
    }

    /** Whether the scope covers at least one name of the action (a deny needs only one). */
    public static boolean matchAny(Action action, String scope) {
        Scope parsed = scope(scope);
        for (List<String> path : namesOf(action)) {
            if (parsed.reaches(path, action.getLabels())) {
                return true;
            }
        }
        return false;
    }

    /** The scopes among {@code scopes} that cover some path of the action, for a rule's reason. */
    public static String matching(Action action, String... scopes) {
        Set<String> matched = new TreeSet<>();
        for (String scope : scopes) {
            if (matchAny(action, scope)) {
                matched.add(scope);
            }
        }
        return String.join(", ", matched);
    }

    /** The action's scope paths: one per target (a join reads several tables). */
    public static List<List<String>> pathsOf(Action action) {
        return pathsOf(action.getSurface(), action.getOperation(), action.getTarget(), action.getTargets());
    }

    /** The scope paths of an action with these parts. */
    public static List<List<String>> pathsOf(String actionSurface, String actionOperation, String primary, Set<String> actionTargets) {
        String surface = lower(actionSurface);
        String operation = lower(actionOperation);
        List<List<String>> paths = new ArrayList<>();
        if (surface.equals("tool")) {
            List<String> path = new ArrayList<>();
            path.add(surface);
            path.addAll(splitToolName(operation));
            paths.add(path);
            return paths;
        }
        Set<String> targets = actionTargets == null || actionTargets.isEmpty() ? Set.of(String.valueOf(primary)) : actionTargets;
        for (String target : targets) {
            paths.add(List.of(surface, surface.equals("jdbc") ? fold(target) : lower(target), operation));
        }
        return paths;
    }

    /** Every name the action goes by, for what matches any one ({@link Scope#reaches}): its paths, and a program's or library's other names. */
    public static List<List<String>> namesOf(Action action) {
        return namesOf(action.getSurface(), action.getOperation(), action.getTarget(), action.getTargets(), action::attribute);
    }

    /**
     * The action's paths as given, and beside them, for a program ({@code process}) or a native library, the
     * other names of what really runs or is mapped: its real path and the file name of both (a deny of
     * {@code process:rm:exec} must hold {@code /usr/bin/rm}, {@code /bin/rm} and a link to it), and a library's
     * name as JNA and {@code System.loadLibrary} take it ({@code libsodium.so.23} is {@code sodium}).
     *
     * @param facts the action's attribute of a name ({@code process.program.path}), or null
     */
    public static List<List<String>> namesOf(String actionSurface, String actionOperation, String primary, Set<String> actionTargets,
                                             Function<String, Object> facts) {
        List<List<String>> paths = pathsOf(actionSurface, actionOperation, primary, actionTargets);
        String surface = lower(actionSurface);
        if (surface.equals("jdbc")) {
            return withStackedOperations(paths, facts);
        }
        if (!surface.equals("process") && !surface.equals("native")) {
            return paths;
        }
        String operation = lower(actionOperation);
        Set<String> names = new LinkedHashSet<>();
        for (List<String> path : paths) {
            names.add(path.get(1));
        }
        for (String fact : surface.equals("process") ? PROCESS_NAMES : NATIVE_NAMES) {
            Object value = facts == null ? null : facts.apply(fact);
            if (value != null && !value.toString().isEmpty()) {
                names.add(lower(value.toString()));
            }
        }
        for (String name : List.copyOf(names)) {
            String file = name.substring(name.lastIndexOf('/') + 1);
            if (!file.isEmpty()) {
                names.add(file);
                if (surface.equals("native")) {
                    names.add(libraryName(file));
                }
            }
        }
        List<List<String>> all = new ArrayList<>(names.size());
        for (String name : names) {
            all.add(List.of(surface, name, operation));
        }
        return all;
    }

    /**
     * A string of stacked statements goes by the operation of its strongest statement ({@code DELETE FROM t WHERE id = 9;
     * SET @x = 1} is {@code DDL}), which an allow must cover; but each statement still does what its own operation says,
     * and a deny, tier, limit or chain naming a milder one ({@code jdbc:t:delete}) must hold it: before a thirteenth
     * review (2026-12-08) that string deleted the row with no approval under {@code T2: [jdbc:t:delete]}. Which table each
     * statement names is not kept, so each of the string's tables also goes by every operation milder than its strongest:
     * more names, never fewer.
     */
    private static List<List<String>> withStackedOperations(List<List<String>> paths, Function<String, Object> facts) {
        if (facts == null || statements(facts.apply(SQL_STATEMENTS)) < 2) {
            return paths; // one statement (the hot path): its operation is what it does
        }
        List<List<String>> all = new ArrayList<>(paths);
        for (List<String> path : paths) {
            int strongest = JDBC_OPERATIONS.indexOf(path.get(2));
            for (int milder = 0; milder < strongest; milder++) {
                all.add(List.of(path.get(0), path.get(1), JDBC_OPERATIONS.get(milder)));
            }
        }
        return all;
    }

    /** {@value #SQL_STATEMENTS} as the action holds it (a number), or as its receipt's summary kept it (text). */
    private static long statements(Object value) {
        if (value instanceof Number number) {
            return number.longValue();
        }
        try {
            return value == null ? 0 : Long.parseLong(value.toString().trim());
        } catch (NumberFormatException unreadable) {
            return 0;
        }
    }

    /** {@code libsodium.so.23} as JNA and {@code System.loadLibrary} name it: {@code sodium}. */
    private static String libraryName(String file) {
        String name = file.startsWith("lib") && file.length() > 3 ? file.substring(3) : file;
        for (String suffix : new String[] {".so", ".dylib", ".dll", ".jnilib"}) {
            int at = name.indexOf(suffix);
            if (at > 0 && (at + suffix.length() == name.length() || name.charAt(at + suffix.length()) == '.')) {
                return name.substring(0, at);
            }
        }
        return name;
    }

    /**
     * Whether a scope's table and an action's may name the same table to some database: qualified or not
     * ({@code public.pay} and {@code pay}: the reference may find it along the search path), in any case and
     * quoted or not ({@code "Invoice"} and {@code invoice}: one table to MariaDB with {@code lower_case_table_names}).
     * For what matches any one name (deny, tier, limit, chain), never for an allow.
     */
    static boolean maySameTable(String scope, String path) {
        List<String> a = tableParts(scope);
        List<String> b = tableParts(path);
        int shorter = Math.min(a.size(), b.size());
        for (int k = 1; k <= shorter; k++) {
            if (!a.get(a.size() - k).equals(b.get(b.size() - k))) {
                return false;
            }
        }
        return shorter > 0;
    }

    /** A table's name split at the dots outside quotes, each part unquoted and lower-cased. */
    private static List<String> tableParts(String table) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < table.length(); i++) {
            char c = table.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < table.length() && table.charAt(i + 1) == '"') {
                    part.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == '.' && !quoted) {
                parts.add(lower(part.toString()));
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        parts.add(lower(part.toString()));
        return parts;
    }

    /** Lower case outside double quotes, what is inside kept as it is: a table's name as Warden lists it. */
    static String fold(String text) {
        if (text.indexOf('"') < 0) {
            return lower(text);
        }
        StringBuilder out = new StringBuilder(text.length());
        boolean quoted = false;
        int from = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '"') {
                String run = text.substring(from, Math.min(i + 1, text.length()));
                out.append(quoted ? run : lower(run));
                quoted = !quoted;
                from = i + 1;
            }
        }
        return out.toString();
    }

    /** A tool's name as path segments; memoised, since every role rule asks again for every call. */
    static List<String> splitToolName(String name) {
        String lowered = lower(name);
        List<String> parts = SPLIT_TOOL_NAMES.get(lowered);
        if (parts == null) {
            List<String> split = new ArrayList<>();
            for (String part : TOOL_SEPARATORS.split(lowered)) {
                if (!part.isEmpty()) {
                    split.add(part);
                }
            }
            parts = List.copyOf(split);
            if (SPLIT_TOOL_NAMES.size() < MAX_CACHED) {
                SPLIT_TOOL_NAMES.put(lowered, parts);
            }
        }
        return parts;
    }

    private static Scope scope(String pattern) {
        Scope scope = PARSED.get(pattern);
        if (scope == null) {
            scope = Scope.parse(pattern);
            if (PARSED.size() < MAX_CACHED) {
                PARSED.put(pattern, scope);
            }
        }
        return scope;
    }

    private static String lower(String value) {
        return value == null ? "" : value.toLowerCase(Locale.ROOT);
    }
}
