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

    private LaunchOptions() {
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
            for (String shapingOption : SHAPING) {
                if (option.startsWith(shapingOption)) {
                    shaping.append(withoutAgentOptions(option)).append('\n');
                    break;
                }
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
