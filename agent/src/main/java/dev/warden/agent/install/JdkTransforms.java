package dev.warden.agent.install;

import dev.warden.bootstrap.JdkCrypto;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What installs did to the JDK classes already loaded: each class they transformed (the SHA-256 of the class file
 * given, and what was made of it) and each they looked at and left alone. A later start of the same JDK and
 * Warden build replays it ({@link JdkTransformCache}) instead of describing, matching and rewriting them again.
 *
 * <p>A class may have several class files: what the JVM hands a retransformation is the class file rebuilt from the
 * loaded class, and it is not always the same bytes (for {@code ThreadPoolExecutor}, it depends on what ran before
 * the install). Keeping only the latest made every other start transform the class anew with ByteBuddy, about a
 * tenth of a second before {@code main}; the {@value #VARIANTS} latest are kept.
 */
record JdkTransforms(Map<String, List<Transformed>> transformed, Set<String> ignored) {

    /** Class files kept per class. */
    static final int VARIANTS = 4;

    /** No earlier install's: nothing to replay. */
    static final JdkTransforms NONE = new JdkTransforms(Map.of(), Set.of());

    JdkTransforms {
        Map<String, List<Transformed>> copied = new HashMap<>();
        transformed.forEach((name, variants) -> {
            if (variants.isEmpty() || variants.size() > VARIANTS) {
                throw new IllegalArgumentException(variants.size() + " class files of " + name);
            }
            copied.put(name, List.copyOf(variants));
        });
        transformed = Map.copyOf(copied);
        ignored = Set.copyOf(ignored);
    }

    /** What {@code classFile} of class {@code name} was transformed into, or {@code null} if it never was. */
    byte[] replacing(String name, byte[] classFile) {
        List<Transformed> variants = transformed.get(name);
        if (variants == null) {
            return null;
        }
        byte[] digest = digest(classFile);
        for (Transformed variant : variants) {
            if (MessageDigest.isEqual(variant.originalDigest(), digest)) {
                return variant.classFile();
            }
        }
        return null;
    }

    /** Whether this holds {@code variant} of class {@code name}. */
    boolean holds(String name, Transformed variant) {
        return transformed.getOrDefault(name, List.of()).contains(variant);
    }

    /** These transforms and {@code learned} (the newest {@value #VARIANTS} class files of each class kept), and {@code ignored}. */
    JdkTransforms with(Map<String, Transformed> learned, Set<String> ignored) {
        Map<String, List<Transformed>> all = new HashMap<>(transformed);
        learned.forEach((name, variant) -> {
            List<Transformed> variants = new ArrayList<>(all.getOrDefault(name, List.of()));
            // One per class file: a newer making of the same class file replaces the older.
            variants.removeIf(known -> Arrays.equals(known.originalDigest(), variant.originalDigest()));
            variants.add(variant);
            all.put(name, List.copyOf(variants.subList(Math.max(0, variants.size() - VARIANTS), variants.size())));
        });
        Set<String> left = new HashSet<>(this.ignored);
        left.addAll(ignored);
        left.removeAll(all.keySet());
        return new JdkTransforms(all, left);
    }

    /** One class as transformed: served again only for a class file with the same digest. */
    record Transformed(byte[] originalDigest, byte[] classFile) {

        @Override
        public boolean equals(Object other) {
            return other instanceof Transformed that && Arrays.equals(originalDigest, that.originalDigest)
                    && Arrays.equals(classFile, that.classFile);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(originalDigest) + Arrays.hashCode(classFile);
        }

        @Override
        public String toString() {
            return "Transformed[" + classFile.length + " bytes]";
        }
    }

    static byte[] digest(byte[] classFile) {
        return JdkCrypto.sha256().digest(classFile);
    }
}
