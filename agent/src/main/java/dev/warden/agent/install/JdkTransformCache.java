package dev.warden.agent.install;

import dev.warden.instrumentation.api.InstrumentationModule;
import dev.warden.rules.cache.BuildId;
import dev.warden.rules.cache.CacheDirectory;
import net.bytebuddy.ByteBuddy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The JDK classes an install transformed, kept across starts in the {@link CacheDirectory} the compiled policies
 * live in, one entry per (JDK, launch options, Warden build, instrumentation modules). Transforming them takes most of an install
 * (describing the loaded classes, matching them, rewriting a dozen JDK classes with ByteBuddy and ASM), and the
 * result is the same for the same inputs. The bytes become JDK code, so an entry is used only when its MAC, under the
 * directory's key, matches what it says it is for, and each class only for the very class file it was made from.
 */
final class JdkTransformCache {

    private static final String MAGIC = "warden-jdk-transforms/2\n";
    /** Entries kept: one per JDK, build and set of surfaces in use on this machine. */
    static final int KEPT = 32;

    private final KeyedEntry entry;

    JdkTransformCache(CacheDirectory directory, String purpose) {
        this.entry = new KeyedEntry(directory, purpose, "jdk-", ".transforms", MAGIC, KEPT, "transform cache entry");
    }

    /**
     * The cache for this JVM's JDK, launch options, Warden build and {@code modules}, in {@code directory}; none when
     * Warden runs from class directories (a development build, whose build id would not cover the advice).
     */
    static Optional<JdkTransformCache> open(Path directory, List<InstrumentationModule> modules) throws IOException {
        if (!Files.isRegularFile(codeSource(AgentInstaller.class))) {
            return Optional.empty();
        }
        return Optional.of(new JdkTransformCache(CacheDirectory.open(directory), LaunchOptions.current() + purpose(modules)));
    }

    private static Path codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException | RuntimeException unknown) {
            return Path.of("");
        }
    }

    /**
     * What an entry is for. The JDK by its home, version and the size and time of its module image (an update in
     * place changes them); Warden by its build (the installer, ByteBuddy, the modules' advice: their jars are unpacked
     * into a directory named after every nested jar's CRC, the bootstrap classes the advice calls included); and the
     * modules installed, in order.
     */
    static String purpose(List<InstrumentationModule> modules) throws IOException {
        Path image = Path.of(System.getProperty("java.home"), "lib", "modules");
        BasicFileAttributes imageFile = Files.readAttributes(image, BasicFileAttributes.class);
        List<Class<?>> anchors = new ArrayList<>(List.of(AgentInstaller.class, ByteBuddy.class));
        StringBuilder installed = new StringBuilder();
        for (InstrumentationModule module : modules) {
            anchors.add(module.getClass());
            installed.append(module.getClass().getName()).append(' ');
        }
        return System.getProperty("java.home") + "\n" + System.getProperty("java.vm.vendor") + " "
                + System.getProperty("java.vm.version") + "\n" + imageFile.size() + " "
                + imageFile.lastModifiedTime().toMillis() + "\n" + BuildId.of(anchors.toArray(Class<?>[]::new)) + "\n"
                + installed + "\n";
    }

    Path file() {
        return entry.file();
    }

    /** The classes of the host's that earlier starts found no target while ByteBuddy was installed, kept beside. */
    EarlyPasses passes() {
        return EarlyPasses.read(entry.sibling("early-", ".passes", "warden-early-passes/1\n", KEPT, "early passes entry"));
    }

    /** What a look-up found: the transforms, nothing, or an entry that failed verification (and why). */
    record Lookup(JdkTransforms transforms, String rejected) {
    }

    Lookup read() {
        KeyedEntry.Read read = entry.read();
        if (read.payload() == null) {
            return new Lookup(null, read.rejected());
        }
        try {
            return new Lookup(decode(read.payload()), null);
        } catch (IOException | RuntimeException e) {
            return new Lookup(null, file() + " is damaged (" + e + ")");
        }
    }

    void write(JdkTransforms transforms) throws IOException {
        entry.write(encode(transforms));
    }

    private static byte[] encode(JdkTransforms transforms) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(transforms.transformed().size());
            for (Map.Entry<String, List<JdkTransforms.Transformed>> each : transforms.transformed().entrySet()) {
                out.writeUTF(each.getKey());
                out.writeInt(each.getValue().size());
                for (JdkTransforms.Transformed variant : each.getValue()) {
                    out.write(variant.originalDigest());
                    out.writeInt(variant.classFile().length);
                    out.write(variant.classFile());
                }
            }
            out.writeInt(transforms.ignored().size());
            for (String ignored : transforms.ignored()) {
                out.writeUTF(ignored);
            }
        }
        return bytes.toByteArray();
    }

    private static JdkTransforms decode(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        int transformedCount = in.readInt();
        Map<String, List<JdkTransforms.Transformed>> transformed = new HashMap<>();
        for (int i = 0; i < transformedCount; i++) {
            String className = in.readUTF();
            int variantCount = in.readInt();
            if (variantCount < 1 || variantCount > JdkTransforms.VARIANTS) {
                throw new IOException(variantCount + " class files of " + className);
            }
            List<JdkTransforms.Transformed> variants = new ArrayList<>(variantCount);
            for (int v = 0; v < variantCount; v++) {
                byte[] digest = in.readNBytes(32);
                variants.add(new JdkTransforms.Transformed(digest, in.readNBytes(in.readInt())));
            }
            transformed.put(className, variants);
        }
        int ignoredCount = in.readInt();
        Set<String> ignored = new HashSet<>();
        for (int i = 0; i < ignoredCount; i++) {
            ignored.add(in.readUTF());
        }
        if (in.available() != 0) {
            throw new IOException("trailing bytes");
        }
        return new JdkTransforms(transformed, ignored);
    }
}
