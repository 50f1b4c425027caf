package dev.warden.agent.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Which nested jars may hold a resource, so that {@link AgentClassLoader} opens and searches only those. A
 * {@code URLClassLoader} looks in its jars in turn, opening each on the way: a Warden class, in one of the last of
 * some ninety jars, was looked for in every jar before it, and a name no jar holds (a service file, an optional
 * class a library probes for) in all of them. Written once when a build is unpacked, read at each start.
 *
 * <p>A resource is indexed by its directory, except under {@code META-INF}, where nearly every jar has entries, by
 * its whole name. A multi-release jar's versioned entries count under their base name too: the jar, opened for the
 * running JDK's version, serves the version that applies.
 */
final class JarIndex {

    static final String FILE = ".index";

    private static final String META_INF = "META-INF/";
    private static final Pattern VERSIONED = Pattern.compile("META-INF/versions/[0-9]+/(.+)");

    /** Key to the file names of the jars holding something under it, in class path order. */
    private final Map<String, List<String>> jarsByKey;

    private JarIndex(Map<String, List<String>> jarsByKey) {
        this.jarsByKey = jarsByKey;
    }

    /** The key a resource name is looked up by. */
    static String keyOf(String resource) {
        String name = resource.endsWith("/") ? resource.substring(0, resource.length() - 1) : resource;
        if (name.startsWith(META_INF)) {
            return name;
        }
        int slash = name.lastIndexOf('/');
        return slash < 0 ? "" : name.substring(0, slash);
    }

    /** The file names of the jars that may hold {@code resource}, in class path order. */
    List<String> jarsHolding(String resource) {
        return jarsByKey.getOrDefault(keyOf(resource), List.of());
    }

    /** Indexes {@code jars} (whose file names must differ) into {@code directory}'s index file. */
    static void write(Path directory, List<Path> jars) throws IOException {
        Map<String, Set<String>> index = new TreeMap<>();
        Set<String> names = new LinkedHashSet<>();
        for (Path jar : jars) {
            String jarName = jar.getFileName().toString();
            if (!names.add(jarName)) {
                throw new IOException("two nested jars are named " + jarName);
            }
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                for (ZipEntry entry : Collections.list(zip.entries())) {
                    for (String key : keysOf(entry.getName())) {
                        index.computeIfAbsent(key, any -> new LinkedHashSet<>()).add(jarName);
                    }
                }
            }
        }
        StringBuilder text = new StringBuilder();
        index.forEach((key, holders) -> text.append(key).append('\t').append(String.join("\t", holders)).append('\n'));
        Files.writeString(directory.resolve(FILE), text, StandardCharsets.UTF_8);
    }

    /** Reads {@code directory}'s index file. */
    static JarIndex read(Path directory) throws IOException {
        Map<String, List<String>> jarsByKey = new HashMap<>();
        for (String line : Files.readAllLines(directory.resolve(FILE), StandardCharsets.UTF_8)) {
            String[] fields = line.split("\t");
            if (fields.length < 2) {
                throw new IOException("unreadable line in " + directory.resolve(FILE) + ": " + line);
            }
            jarsByKey.put(fields[0], List.of(fields).subList(1, fields.length));
        }
        return new JarIndex(jarsByKey);
    }

    /**
     * The keys an entry is found under; none for a name the index file could not hold (a tab or a line break in it):
     * such an entry is then not found, as if it were absent.
     */
    private static List<String> keysOf(String entry) {
        if (entry.indexOf('\t') >= 0 || entry.indexOf('\n') >= 0 || entry.indexOf('\r') >= 0) {
            return List.of();
        }
        Matcher versioned = VERSIONED.matcher(entry);
        return versioned.matches() ? List.of(keyOf(entry), keyOf(versioned.group(1))) : List.of(keyOf(entry));
    }
}
