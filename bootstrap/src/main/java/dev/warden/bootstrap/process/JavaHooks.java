package dev.warden.bootstrap.process;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a child JVM's options would run outside Warden's gates, or before or beside Warden's agent: the
 * {@code process.java.hooks} fact. Names only, never values (an option's value may be a secret, and a
 * variable's value is never a fact).
 * <ul>
 *   <li>commands HotSpot runs itself, with {@code /bin/sh -c}, in native code: {@code -XX:OnError},
 *       {@code -XX:OnOutOfMemoryError};</li>
 *   <li>native code the VM loads: {@code -agentpath}, {@code -agentlib} ({@code jdwp} is a debugger, which runs
 *       anything), {@code -Xrun}, {@code -XX:JVMCILibPath}, {@code -XX:AOTLibrary}, and {@code -XX:SharedArchiveFile},
 *       whose classes are mapped as the VM's own metadata, not read as class files;</li>
 *   <li>Java code before or beside Warden's agent: another {@code -javaagent}, {@code -Djava.system.class.loader}, a
 *       {@code -Djava.security.manager} class (both loaded before any agent's {@code premain}), {@code -Xbootclasspath},
 *       {@code --patch-module} and {@code --upgrade-module-path} (and the properties they become);</li>
 *   <li>options in files Warden does not read, so unknowable: an {@code @argfile}, {@code -XX:Flags},
 *       {@code -XX:VMOptionsFile}.</li>
 * </ul>
 * Every argument is read as a JVM option: where the JVM's options end (the main class) depends on options that take
 * a value, which a newer launcher may add; an application argument that looks like a hook counts too.
 */
public final class JavaHooks {

    /** The variables a JVM reads options from: the launcher's, then the VM's two. */
    public static final List<String> VARIABLES = List.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS");

    private static final Set<String> HOOK_FLAGS = Set.of("OnError", "OnOutOfMemoryError", "Flags", "VMOptionsFile",
            "JVMCILibPath", "AOTLibrary", "SharedArchiveFile");
    private static final List<String> HOOK_PREFIXES = List.of("-agentpath", "-agentlib", "-javaagent", "-Xrun");
    private static final List<String> HOOK_OPTIONS = List.of("--patch-module", "--upgrade-module-path");
    /**
     * Properties that name a class the JDK makes from the class path the first time it needs the service, which
     * Warden's own start may be (a file system, logging, the common pool), before any gate; or a file of more
     * settings (security providers) Warden does not read. Found by a second reading (2026-12-06).
     */
    private static final Set<String> PLUGIN_PROPERTIES = Set.of("java.nio.file.spi.DefaultFileSystemProvider",
            "java.util.logging.manager", "java.util.logging.config.class", "java.nio.channels.spi.SelectorProvider",
            "java.nio.channels.spi.AsynchronousChannelProvider", "java.rmi.server.RMIClassLoaderSpi",
            "java.util.concurrent.ForkJoinPool.common.threadFactory", "java.util.concurrent.ForkJoinPool.common.exceptionHandler",
            "java.security.properties", "java.time.zone.DefaultZoneRulesProvider", "java.net.spi.InetAddressResolverProvider");
    /** A security manager named by one of these is the JDK's own, not a class of the application's choice. */
    private static final Set<String> JDK_SECURITY_MANAGERS = Set.of("", "allow", "disallow", "default");

    private JavaHooks() {
    }

    /**
     * @param arguments the arguments after the program, exactly as the launcher gets them
     * @param variables {@link #VARIABLES}' values as the child will get them (absent: unset), Warden's own option removed
     * @return the hooks found, arguments first, each once: {@code -XX:OnError}, {@code -agentlib:jdwp},
     *         {@code -XX:OnOutOfMemoryError (JAVA_TOOL_OPTIONS)}, ...
     */
    public static List<String> of(List<String> arguments, Map<String, String> variables) {
        Set<String> found = new LinkedHashSet<>(inArguments(arguments));
        for (String variable : VARIABLES) {
            String value = variables.get(variable);
            if (value != null) {
                for (String option : tokens(value)) {
                    String hook = hookOf(option);
                    if (hook == null && setsAClassPath(option)) {
                        hook = "--class-path"; // its entries are not read here: they may hold a class in Warden's agent's place
                    }
                    if (hook != null) {
                        found.add(hook + " (" + variable + ")");
                    }
                }
            }
        }
        return List.copyOf(found);
    }

    /**
     * A class or module path given in a variable: the JVM searches it before the agent jar for the agent's
     * {@code Premain-Class}, and the enricher reads the entries of the arguments' class paths only.
     */
    private static boolean setsAClassPath(String option) {
        return option.equals("-cp") || option.equals("-classpath") || option.startsWith("--class-path") || option.equals("-p")
                || option.startsWith("--module-path") || option.startsWith("-Djava.class.path=")
                || option.startsWith("-Djdk.module.path=");
    }

    /** The hooks among a JVM's arguments, each once, in order. */
    public static List<String> inArguments(List<String> arguments) {
        Set<String> found = new LinkedHashSet<>();
        for (String argument : arguments) {
            String hook = hookOf(argument);
            if (hook != null) {
                found.add(hook);
            }
        }
        return List.copyOf(found);
    }

    /** The hook an option is, by name, or null. {@code -J} (the other launchers' way to pass a JVM option) is read through. */
    static String hookOf(String option) {
        String plain = option.startsWith("-J") ? option.substring(2) : option;
        if (plain.startsWith("@")) {
            return "@argfile";
        }
        if (plain.startsWith("-XX:")) {
            String flag = upTo(plain.substring(4), '=');
            flag = flag.startsWith("+") || flag.startsWith("-") ? flag.substring(1) : flag;
            return HOOK_FLAGS.contains(flag) ? "-XX:" + flag : null;
        }
        if (plain.startsWith("-agentlib:")) {
            return "-agentlib:" + upTo(plain.substring("-agentlib:".length()), '=');
        }
        for (String prefix : HOOK_PREFIXES) {
            if (plain.startsWith(prefix)) {
                return prefix;
            }
        }
        if (plain.startsWith("-Xbootclasspath")) {
            return upTo(plain, ':');
        }
        for (String name : HOOK_OPTIONS) {
            if (plain.equals(name) || plain.startsWith(name + "=")) {
                return name;
            }
        }
        if (plain.startsWith("-D")) {
            return hookProperty(plain.substring(2));
        }
        return null;
    }

    private static String hookProperty(String setting) {
        String name = upTo(setting, '=');
        String value = setting.length() > name.length() ? setting.substring(name.length() + 1) : "";
        boolean hook = name.equals("java.system.class.loader") || PLUGIN_PROPERTIES.contains(name)
                || name.equals("java.security.manager") && !JDK_SECURITY_MANAGERS.contains(value)
                || name.startsWith("jdk.module.patch.") || name.equals("jdk.module.upgrade.path");
        return hook ? "-D" + name : null;
    }

    /**
     * A variable's value split as HotSpot splits {@code JAVA_TOOL_OPTIONS} (the launcher splits {@code JDK_JAVA_OPTIONS}
     * alike): on white space, where a quote anywhere in a token runs to its match and is dropped, so
     * {@code -XX:On'Error=sh -c x'} is {@code -XX:OnError=sh -c x}. An unmatched quote runs to the end (HotSpot then
     * refuses to start).
     */
    static List<String> tokens(String value) {
        List<String> tokens = new ArrayList<>();
        StringBuilder token = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B) {
                if (token != null) {
                    tokens.add(token.toString());
                    token = null;
                }
                continue;
            }
            if (token == null) {
                token = new StringBuilder();
            }
            if (c == '\'' || c == '"') {
                int end = value.indexOf(c, i + 1);
                int stop = end < 0 ? value.length() : end;
                token.append(value, i + 1, stop);
                i = stop;
            } else {
                token.append(c);
            }
        }
        if (token != null) {
            tokens.add(token.toString());
        }
        return tokens;
    }

    private static String upTo(String text, char end) {
        int at = text.indexOf(end);
        return at < 0 ? text : text.substring(0, at);
    }
}
