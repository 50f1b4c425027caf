package dev.warden.agent.install;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * What an install did to the JDK classes already loaded: each class it transformed (the SHA-256 of the class file
 * it was given, and what it made of it) and each it looked at and left alone. A later start of the same JDK and
 * Warden build replays it ({@link JdkTransformCache}) instead of describing, matching and rewriting them again.
 */
record JdkTransforms(Map<String, Transformed> transformed, Set<String> ignored) {

    /** No earlier install's: nothing to replay. */
    static final JdkTransforms NONE = new JdkTransforms(Map.of(), Set.of());

    JdkTransforms {
        transformed = Map.copyOf(transformed);
        ignored = Set.copyOf(ignored);
    }

    /** One class as transformed: served again only for a class file with the same digest. */
    record Transformed(byte[] originalDigest, byte[] classFile) {

        /** What {@code classFile} is transformed into when it is the class file this was made from, else {@code null}. */
        byte[] replacing(byte[] classFile) {
            return MessageDigest.isEqual(originalDigest, digest(classFile)) ? this.classFile : null;
        }

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
        try {
            return MessageDigest.getInstance("SHA-256").digest(classFile);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
