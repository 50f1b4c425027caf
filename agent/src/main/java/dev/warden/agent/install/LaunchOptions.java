package dev.warden.agent.install;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The options this JVM was launched with that change which classes the boot layer's modules hold, or which code
 * transforms classes before Warden does: patched or upgraded modules, the boot class path, the module set and its
 * reads, exports and opens, other agents (their jars, not their options). What an install made of the JDK classes,
 * and which it left alone, holds only for the same ones.
 */
final class LaunchOptions {

    private static final List<String> SHAPING = List.of("--patch-module", "--upgrade-module-path", "--limit-modules",
            "--add-modules", "--add-reads", "--add-exports", "--add-opens", "-Xbootclasspath", "-javaagent", "-agentlib",
            "-agentpath");

    /**
     * Options by which classes other than the runtime image's are defined in, or read as, the JDK's packages: code
     * defining a class into a package opened to it, a patched or upgraded module, the boot class path. Their files are
     * named here, not their contents.
     */
    private static final List<String> OPENING_THE_JDK = List.of("--patch-module", "--upgrade-module-path", "--add-exports",
            "--add-opens", "-Xbootclasspath");

    private LaunchOptions() {
    }

    /** Whether this JVM's launch options open the JDK's packages to other classes ({@link #opensTheJdk(List)}). */
    static boolean opensTheJdk() {
        return opensTheJdk(ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /**
     * Whether any of {@code jvmOptions} lets a class that is not the runtime image's be defined in a JDK package, or the
     * JDK's class files be other files than the image's: a JDK class is then not told by its name alone.
     */
    static boolean opensTheJdk(List<String> jvmOptions) {
        return jvmOptions.stream().anyMatch(option -> startsWithAny(option, OPENING_THE_JDK));
    }

    private static boolean startsWithAny(String option, List<String> prefixes) {
        return prefixes.stream().anyMatch(option::startsWith);
    }

    /**
     * Those options of this JVM, as text. The JVM's own list: the launcher has expanded argument files and
     * {@code JDK_JAVA_OPTIONS} into it, and {@code JAVA_TOOL_OPTIONS} is in it; the application's arguments are not.
     */
    static String current() {
        return shaping(ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    static String shaping(List<String> jvmOptions) {
        StringBuilder shaping = new StringBuilder();
        for (String option : jvmOptions) {
            if (startsWithAny(option, SHAPING)) {
                shaping.append(withoutAgentOptions(option)).append('\n');
            }
        }
        return shaping.toString();
    }

    /** An agent's jar: its options (Warden's receipts directory, say) do not change what it does to the JDK. */
    private static String withoutAgentOptions(String option) {
        int options = option.startsWith("-javaagent:") ? option.indexOf('=') : -1;
        return options < 0 ? option : option.substring(0, options);
    }
}
