package dev.warden.agent.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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

    /** The indexed jars' file names, in class path order. */
    private final List<String> jars;
    /** Key to the jars holding something under it, as positions in {@link #jars}, ascending. */
    private final Map<String, int[]> jarsByKey;

    private JarIndex(List<String> jars, Map<String, int[]> jarsByKey) {
        this.jars = jars;
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

    /** The indexed jars' file names, in class path order. */
    List<String> jars() {
        return jars;
    }

    /** The jars that may hold {@code resource}, as positions in {@link #jars()}, in class path order. */
    int[] jarsHolding(String resource) {
        return jarsByKey.getOrDefault(keyOf(resource), NONE);
    }

    private static final int[] NONE = new int[0];

    /**
     * Indexes {@code jars} (whose file names must differ) into {@code directory}'s index file: a line of the jars'
     * names, then a line per key with the positions of the jars holding something under it.
     */
    static void write(Path directory, List<Path> jars) throws IOException {
        Map<String, Set<Integer>> index = new TreeMap<>();
        List<String> names = new ArrayList<>();
        for (Path jar : jars) {
            String jarName = jar.getFileName().toString();
            if (names.contains(jarName) || jarName.indexOf('\t') >= 0 || jarName.indexOf('\n') >= 0) {
                throw new IOException("cannot index a nested jar named " + jarName);
            }
            names.add(jarName);
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                for (ZipEntry entry : Collections.list(zip.entries())) {
                    for (String key : keysOf(entry.getName())) {
                        index.computeIfAbsent(key, any -> new TreeSet<>()).add(names.size() - 1);
                    }
                }
            }
        }
        StringBuilder text = new StringBuilder(String.join("\t", names)).append('\n');
        index.forEach((key, holders) -> {
            text.append(key);
            holders.forEach(holder -> text.append('\t').append(holder));
            text.append('\n');
        });
        Files.writeString(directory.resolve(FILE), text, StandardCharsets.UTF_8);
    }

    /** Reads {@code directory}'s index file (read at every start: parsed by hand). */
    static JarIndex read(Path directory) throws IOException {
        Path file = directory.resolve(FILE);
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        if (end < 0) {
            throw new IOException(file + " names no jars");
        }
        List<String> jars = end == 0 ? List.of() : List.of(text.substring(0, end).split("\t"));
        if (new java.util.HashSet<>(jars).size() != jars.size()) {
            throw new IOException(file + " names a jar twice");
        }
        Map<String, int[]> jarsByKey = new HashMap<>();
        for (int start = end + 1; start < text.length(); start = end + 1) {
            end = text.indexOf('\n', start);
            int tab = text.indexOf('\t', start);
            if (end < 0 || tab < 0 || tab > end) {
                throw new IOException("unreadable line in " + file + " at character " + start);
            }
            int[] holders = new int[count(text, tab, end)];
            for (int i = 0, at = tab; i < holders.length; i++) {
                int next = text.indexOf('\t', at + 1);
                int to = next < 0 || next > end ? end : next;
                int jar;
                try {
                    jar = Integer.parseInt(text, at + 1, to, 10);
                } catch (NumberFormatException notAPosition) {
                    jar = -1;
                }
                if (jar < 0 || jar >= jars.size() || i > 0 && jar <= holders[i - 1]) {
                    throw new IOException("line at character " + start + " of " + file + " names no indexed jar");
                }
                holders[i] = jar;
                at = to;
            }
            if (jarsByKey.put(text.substring(start, tab), holders) != null) {
                throw new IOException(file + " indexes a key twice, at character " + start);
            }
        }
        return new JarIndex(jars, jarsByKey);
    }

    /** Tabs from {@code from} (inclusive) to {@code to}: the jars a line names. */
    private static int count(String text, int from, int to) {
        int tabs = 0;
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == '\t') {
                tabs++;
            }
        }
        return tabs;
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
