package dev.warden.rules.roles;

import dev.warden.rules.Action;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
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
 * Everything is lower-cased. Labels that classification rules attached ({@code external}) are
 * matched by the scope's trailing segments.
 */
public final class Scopes {

    private static final Pattern TOOL_SEPARATORS = Pattern.compile("[_.\\-/]+");
    private static final int MAX_CACHED = 4096;
    private static final ConcurrentHashMap<String, Scope> PARSED = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, List<String>> SPLIT_TOOL_NAMES = new ConcurrentHashMap<>();

    private Scopes() {
    }

    /** Whether every path of the action is covered by at least one of the scopes. */
    public static boolean coverAll(Action action, String... scopes) {
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

    /** Whether the scope covers at least one path of the action (a deny needs only one). */
    public static boolean matchAny(Action action, String scope) {
        Scope parsed = scope(scope);
        for (List<String> path : pathsOf(action)) {
            if (parsed.matches(path, action.getLabels())) {
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
            paths.add(List.of(surface, lower(target), operation));
        }
        return paths;
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
