package dev.warden.rules;

import dev.warden.rules.roles.RolePolicy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each role of a policy is defined. A role belongs to one file: the rules compiled from two
 * files would both grant it, so a stale copy of a role in another file would silently widen it.
 */
public final class RoleDefinitions {

    private RoleDefinitions() {
    }

    /** Every role defined in more than one file, with the files, in a stable order. */
    public static Map<String, List<String>> duplicates(Map<String, PolicyFile> files) {
        Map<String, List<String>> where = new LinkedHashMap<>();
        files.forEach((path, file) -> {
            if (file.roles() != null) {
                for (RolePolicy.Role role : file.roles().roles()) {
                    where.computeIfAbsent(role.name(), ignored -> new ArrayList<>()).add(path);
                }
            }
        });
        where.values().removeIf(paths -> paths.size() < 2);
        return where;
    }

    /** The error for the first role defined twice, or null when every role is defined once. */
    static String definedTwice(Map<String, PolicyFile> files) {
        return duplicates(files).entrySet().stream().findFirst()
                .map(entry -> "role '" + entry.getKey() + "' is defined in " + String.join(" and ", entry.getValue())
                        + ": a role belongs to one file (rename one, or merge them)")
                .orElse(null);
    }
}
