package dev.warden.instrumentation.process;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.instrumentation.api.ActionDescription;
import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.instrumentation.api.FactModel;
import dev.warden.bootstrap.process.JavaHooks;
import dev.warden.bootstrap.process.ProcessActions;
import dev.warden.bootstrap.process.ProcessSignals;

import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Describes a process start for rules and receipts. Rules get the raw facts the advice packed plus
 * the program's base name ({@code process.program.name}), its absolute path when it can be found
 * ({@code process.program.path}), the argument count, whether the child is a shell running a script
 * ({@code process.shell}), whether it is a launcher given a program to run ({@code process.launcher}, {@link Launchers}),
 * whether any argument cannot be encoded (it would reach the program
 * altered), the arguments joined, as they are, and for a JVM known by where its link leads the hooks of its
 * arguments and of its main jar ({@code process.java.hooks}, which the helper reads for a {@code java} launcher only).
 * What depends on the disk (where the program leads, the main jar's manifest) is read per start: the helper makes
 * each start a request of its own. The receipt gets the program, the arguments joined
 * with credential-looking values masked and cut to {@value #MAX_ARGUMENTS_CHARS} characters, the
 * directory and environment variable <em>names</em>. The action's digest is made from the attributes,
 * so an approval binds the arguments as they are, not as the receipt shows them, and from the digest of a given
 * environment's values ({@code process.env.digest}, which the helper packs and this moves out of the facts).
 */
final class ProcessActionEnricher implements ActionEnricher {

    static final int MAX_ARGUMENTS_CHARS = 512;
    static final int MAX_TARGET_CHARS = 1024;
    private static final int MAX_NAMES_CHARS = 1024;
    private static final Set<String> SHELLS = Set.of("sh", "bash", "rbash", "dash", "zsh", "ksh", "ksh93", "mksh", "lksh", "pdksh",
            "oksh", "ash", "yash", "posh", "fish", "csh", "tcsh", "nu", "xonsh", "elvish", "busybox", "toybox", "cmd", "cmd.exe",
            "powershell", "powershell.exe", "pwsh", "pwsh.exe");
    /** {@code -c} alone or in a cluster of a POSIX shell's one-letter options: {@code -lc}, {@code -ec}, {@code -xc}. */
    private static final java.util.regex.Pattern SCRIPT_OPTION = java.util.regex.Pattern.compile("[-+][A-Za-z]*c[A-Za-z]*");
    /** cmd's one-letter switches, each perhaps with a value ({@code /e:on}), alone or run together. */
    private static final java.util.regex.Pattern CMD_SWITCHES = java.util.regex.Pattern.compile("(/[a-z?](:[a-z0-9]*)?)+");

    private final ProgramLocator locator;

    /** What {@code ProcessActions} packs, and what is derived from the command here. */
    static final FactModel FACTS = FactModel.of(Set.of(ProcessActions.OPERATION, ProcessSignals.OPERATION), Set.of(
            "process.command", "process.program", "process.directory", "process.env.inherited", "process.env.names", "process.env.code",
            "process.redirects", "process.child.agent", "process.java.hooks", "process.error",
            "process.program.name", "process.program.path", "process.program.java", "process.argument.count",
            "process.arguments", "process.shell", "process.launcher", "process.command.unencodable",
            ProcessSignals.PID, ProcessSignals.SIGNAL))
            .withTargetAttributes("process.program", "process.program.name", "process.program.path", "process.command", "process.arguments");

    @Override
    public FactModel facts() {
        return FACTS;
    }

    ProcessActionEnricher() {
        this(ProgramLocator.fromEnvironment());
    }

    ProcessActionEnricher(ProgramLocator locator) {
        this.locator = locator;
    }

    /**
     * An argument that hands a shell a script: a POSIX shell's {@code -c} alone or clustered ({@code -lc}), fish's
     * {@code --command=}, cmd's {@code /c}, {@code /k} or {@code /r} (also run together, {@code /q/c}), PowerShell's
     * {@code -Command}, {@code -EncodedCommand}, {@code -CommandWithArgs} and their abbreviations.
     */
    static boolean givesAScript(String argument) {
        if (SCRIPT_OPTION.matcher(argument).matches()) {
            return true;
        }
        String lower = argument.toLowerCase(java.util.Locale.ROOT);
        if (CMD_SWITCHES.matcher(lower).matches()) {
            // cmd's switches, alone or run together (/q/c): /c, /k and /r run a command; /usr/lib/r is a path
            for (String part : lower.substring(1).split("/", -1)) {
                if (part.equals("c") || part.equals("k") || part.equals("r")) {
                    return true;
                }
            }
        }
        if (lower.startsWith("--command") || lower.startsWith("-command=")) {
            return true; // fish --command=..., --command ...
        }
        return lower.length() >= 2 && lower.startsWith("-")
                && ("-command".startsWith(lower) || "-encodedcommand".startsWith(lower) || "-commandwithargs".startsWith(lower)
                || lower.equals("-ec") || lower.equals("-cwa"));
    }

    @Override
    public ActionDescription describe(ActionRequest request) {
        if (ProcessSignals.OPERATION.equals(request.operation())) {
            return describeKill(request);
        }
        Map<String, Object> attributes = new HashMap<>(request.attributes());
        attributes.remove(ProcessActions.CALL); // only there to keep the request unique
        // The digest of a given environment's values: bound by the action's digest, never a fact nor recorded.
        Object environment = attributes.remove(ProcessActions.ENVIRONMENT_DIGEST);
        Map<String, String> bound = environment == null ? Map.of() : Map.of(ProcessActions.ENVIRONMENT_DIGEST, environment.toString());
        List<String> command = strings(attributes.get("process.command"));
        String program = command.isEmpty() ? "" : command.get(0);
        List<String> arguments = command.isEmpty() ? List.of() : command.subList(1, command.size());
        String name = ProgramLocator.baseName(program);
        attributes.put("process.program.name", name);
        attributes.put("process.argument.count", (long) arguments.size());
        String directory = (String) attributes.get("process.directory");
        String path = attributes.containsKey("process.error") ? null : locator.locate(program, directory);
        if (path != null) {
            attributes.put("process.program.path", path);
        }
        // A JVM by name or by what a link leads to: a rule can refuse Java children that will not carry Warden.
        boolean jvm = isJavaLauncher(name) || (path != null && (isJavaLauncher(ProgramLocator.baseName(path)) || inJdkImage(path)));
        attributes.put("process.program.java", jvm);
        List<String> hooks = jvm ? javaHooks(arguments, strings(attributes.get("process.java.hooks")), locator.base(directory))
                : strings(attributes.get("process.java.hooks"));
        if (!hooks.isEmpty()) {
            attributes.put("process.java.hooks", hooks);
            attributes.remove("process.child.agent"); // what the hooks run is outside Warden
        }
        // Rules see the arguments as the program will get them: a mask would hide what a deny rule looks for
        // (`-o token: --upload-pack=...`). Only the receipt's copy is masked.
        attributes.put("process.arguments", String.join(" ", arguments));
        // By the name given and by where it leads (rbash, or a link of any name to bash, is bash).
        boolean shell = (SHELLS.contains(name.toLowerCase(java.util.Locale.ROOT))
                || path != null && SHELLS.contains(ProgramLocator.baseName(path).toLowerCase(java.util.Locale.ROOT)))
                && arguments.stream().anyMatch(ProcessActionEnricher::givesAScript);
        attributes.put("process.shell", shell);
        // A launcher given a command runs a program of its arguments' choosing: a permit of env is not one of what env runs.
        // So does an interpreter given code, or a tool given an option that runs a command (python3 -c, tar --to-command).
        String real = path == null ? null : ProgramLocator.baseName(path);
        boolean launcher = Launchers.launches(name, arguments) || real != null && Launchers.launches(real, arguments)
                || CodeRunners.runsCode(name, arguments, locator.base(directory))
                || real != null && CodeRunners.runsCode(real, arguments, locator.base(directory));
        attributes.put("process.launcher", launcher);
        boolean unencodable = !encodable(command);
        attributes.put("process.command.unencodable", unencodable);

        Map<String, String> summary = new HashMap<>(16);
        summary.put("process.program", bounded(program, MAX_TARGET_CHARS));
        if (path != null) {
            summary.put("process.program.path", path);
        }
        summary.put("process.argument.count", Long.toString(arguments.size()));
        if (!arguments.isEmpty()) {
            summary.put("process.arguments", bounded(Arguments.masked(arguments), MAX_ARGUMENTS_CHARS));
        }
        putIfPresent(summary, "process.directory", directory == null ? null : bounded(directory, MAX_TARGET_CHARS));
        putIfPresent(summary, "process.error", (String) attributes.get("process.error"));
        Object inherited = attributes.get("process.env.inherited");
        if (inherited != null) {
            summary.put("process.env.inherited", inherited.toString());
            summary.put("process.env.names", bounded(String.join(",", strings(attributes.get("process.env.names"))), MAX_NAMES_CHARS));
        }
        List<String> code = strings(attributes.get("process.env.code"));
        if (!code.isEmpty()) {
            summary.put("process.env.code", bounded(String.join(",", code), MAX_NAMES_CHARS));
        }
        Object redirects = attributes.get("process.redirects");
        if (redirects != null) {
            summary.put("process.redirects", bounded(String.join(",", strings(redirects)), MAX_TARGET_CHARS));
        }
        if (shell) {
            summary.put("process.shell", "true");
        }
        if (launcher) {
            summary.put("process.launcher", "true");
        }
        if (unencodable) {
            summary.put("process.command.unencodable", "true");
        }
        if (!hooks.isEmpty()) {
            summary.put("process.java.hooks", bounded(String.join(",", hooks), MAX_NAMES_CHARS));
        }
        if (Boolean.TRUE.equals(attributes.get("process.child.agent"))) {
            summary.put("process.child.agent", "true");
        }
        String target = bounded(program, MAX_TARGET_CHARS);
        return new ActionDescription(request.operation(), target, target.isEmpty() ? Set.of() : Set.of(target), attributes, summary, bound);
    }

    /**
     * Ending a process this JVM did not start: its id, the signal, and what it runs when the kernel says
     * ({@code process.program}, the target, with its base name), else {@code pid N}.
     */
    private static ActionDescription describeKill(ActionRequest request) {
        Map<String, Object> attributes = new HashMap<>(request.attributes());
        Map<String, String> summary = new HashMap<>(8);
        summary.put(ProcessSignals.PID, String.valueOf(attributes.get(ProcessSignals.PID)));
        summary.put(ProcessSignals.SIGNAL, String.valueOf(attributes.get(ProcessSignals.SIGNAL)));
        Object program = attributes.get("process.program");
        if (program != null) {
            attributes.put("process.program.name", ProgramLocator.baseName(program.toString()));
            summary.put("process.program", bounded(program.toString(), MAX_TARGET_CHARS));
        }
        String target = bounded(request.target() == null ? "" : request.target(), MAX_TARGET_CHARS);
        return new ActionDescription(request.operation(), target, target.isEmpty() ? Set.of() : Set.of(target), attributes, summary,
                Map.of());
    }

    @Override
    public List<String> unrecorded() {
        return List.of("credential-looking argument values are masked (process.arguments reads as the receipt shows it),"
                + " and arguments past " + MAX_ARGUMENTS_CHARS + " characters are cut; environment values are never recorded");
    }

    /**
     * The JDK's launchers: each starts a JVM, and most run code the agent can hand them ({@code jshell script.jsh},
     * {@code javac -processorpath}, {@code jrunscript}, {@code -J-javaagent:...}), none with Warden but {@code java}.
     */
    private static final Set<String> JDK_LAUNCHERS = Set.of("java", "javaw", "jshell", "javac", "javadoc", "jar", "jarsigner",
            "jdb", "jrunscript", "jwebserver", "jcmd", "jconsole", "jdeps", "jdeprscan", "jlink", "jmod", "jpackage", "jimage",
            "jps", "jstack", "jstat", "jstatd", "jmap", "jinfo", "jhsdb", "jfr", "keytool", "rmiregistry", "serialver",
            "kinit", "klist", "ktab");

    private static boolean isJavaLauncher(String name) {
        String plain = name.endsWith(".exe") ? name.substring(0, name.length() - ".exe".length()) : name;
        return JDK_LAUNCHERS.contains(plain);
    }

    /** A program in a JDK's {@code bin} (beside its {@code lib/modules}), whatever its name: it starts a JVM. */
    private static boolean inJdkImage(String path) {
        try {
            java.nio.file.Path program = java.nio.file.Path.of(path);
            java.nio.file.Path bin = program.getParent();
            return bin != null && bin.getFileName() != null && bin.getFileName().toString().equals("bin") && bin.getParent() != null
                    && java.nio.file.Files.isRegularFile(bin.getParent().resolve("lib").resolve("modules"));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The hooks of a JVM's arguments (the helper read them for a {@code java} launcher only), its main jar's agent, a class
     * path that would shadow Warden's agent ({@link AgentShadow}), then the variables'.
     */
    private static List<String> javaHooks(List<String> arguments, List<String> packed, java.nio.file.Path directory) {
        java.util.Set<String> hooks = new java.util.LinkedHashSet<>(JavaHooks.inArguments(arguments));
        if (directory != null) {
            MainJar.hook(arguments, directory).ifPresent(hooks::add);
            AgentShadow.hook(arguments, directory).ifPresent(hooks::add);
        }
        hooks.addAll(packed);
        return List.copyOf(hooks);
    }

    private static List<String> strings(Object value) {
        if (!(value instanceof Collection<?> values)) {
            return List.of();
        }
        return values.stream().map(String::valueOf).toList();
    }

    private static boolean encodable(List<String> command) {
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder();
        return command.stream().allMatch(encoder::canEncode);
    }

    private static void putIfPresent(Map<String, String> summary, String key, String value) {
        if (value != null) {
            summary.put(key, value);
        }
    }

    static String bounded(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...(" + text.length() + " chars)";
    }
}
