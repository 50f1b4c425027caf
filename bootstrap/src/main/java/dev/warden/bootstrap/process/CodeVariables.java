package dev.warden.bootstrap.process;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Environment variables that make a program load or run code it was not given as its command: the dynamic linker's
 * ({@code LD_PRELOAD}), a shell's ({@code BASH_ENV}, {@code ENV}, exported functions, {@code PS4} with
 * {@code SHELLOPTS}), an interpreter's ({@code PYTHONPATH}, {@code PERL5OPT}, {@code NODE_OPTIONS}, {@code LUA_INIT}),
 * a tool's ({@code GIT_SSH_COMMAND}, {@code TAR_OPTIONS}, {@code RSYNC_RSH}, {@code MAKEFILES}), the programs others
 * run ({@code EDITOR}, {@code PAGER}, {@code SHELL}, {@code PATH}), a JVM's class path ({@code CLASSPATH}: classes named as
 * Warden's agent would start in its place) and where they read their configuration
 * ({@code HOME}, {@code XDG_CONFIG_HOME}, {@code KUBECONFIG}, {@code DOCKER_CONFIG}): the {@code process.env.code} fact,
 * names only. A permit of a program by
 * its path says nothing of them: a review (2026-12-07) ran a command through a YAML role's allow of {@code tar} with
 * {@code TAR_OPTIONS=--to-command=...}. Only what the start sets counts (a variable given, or given another value than
 * this JVM's own environment, which is the operator's, has): an application that copies its environment and adds one
 * harmless variable, or starts its child with an empty one, has none.
 */
public final class CodeVariables {

    private static final Set<String> NAMES = Set.of("GCONV_PATH", "BASH_ENV", "ENV", "SHELLOPTS", "BASHOPTS", "PS4",
            "PROMPT_COMMAND", "ZDOTDIR", "PYTHONSTARTUP", "PYTHONPATH", "PYTHONHOME", "PYTHONUSERBASE", "PYTHONBREAKPOINT",
            "PYTHONWARNINGS", "PYTHONINSPECT", "PERL5OPT", "PERL5LIB", "PERLLIB", "PERL5DB", "RUBYOPT", "RUBYLIB",
            "NODE_OPTIONS", "NODE_PATH", "LUA_INIT", "LUA_PATH", "LUA_CPATH", "TCLLIBPATH", "PHPRC", "PHP_INI_SCAN_DIR",
            "R_PROFILE", "R_PROFILE_USER", "DOTNET_STARTUP_HOOKS", "EDITOR", "VISUAL", "PAGER", "MANPAGER", "BROWSER",
            "LESSOPEN", "LESSCLOSE", "SSH_ASKPASS", "SUDO_ASKPASS", "RSYNC_RSH", "RSYNC_CONNECT_PROG", "TAR_OPTIONS",
            "ZIPOPT", "AWKPATH", "AWKLIBPATH", "MAKEFLAGS", "MAKEFILES", "MFLAGS", "SHELL", "OPENSSL_CONF", "OPENSSL_ENGINES",
            "OPENSSL_MODULES", "WGETRC",
            // Where a tool reads a configuration that names a command it runs: kubectl's exec credential plugin, the
            // docker CLI's plugins and credential helpers, the AWS CLI's credential_process (a tenth review, 2026-12-07).
            "KUBECONFIG", "DOCKER_CONFIG", "AWS_CONFIG_FILE",
            "PATH", "HOME", "XDG_CONFIG_HOME", "CLASSPATH");
    private static final List<String> PREFIXES = List.of("LD_", "DYLD_", "BASH_FUNC_", "GIT_", "CORECLR_", "COR_PROFILER");
    /** git's variables that name who commits, never a program or a configuration. */
    private static final List<String> HARMLESS_PREFIXES = List.of("GIT_AUTHOR_", "GIT_COMMITTER_");

    private CodeVariables() {
    }

    /** Whether a variable of this name makes a program load or run code. */
    static boolean runsCode(String name) {
        if (NAMES.contains(name)) {
            return true;
        }
        for (String harmless : HARMLESS_PREFIXES) {
            if (name.startsWith(harmless)) {
                return false;
            }
        }
        for (String prefix : PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The sorted names of such variables the start gives with another value than {@code own} (this JVM's environment)
     * has; none when the child inherits it ({@code environment} null).
     */
    public static List<String> of(Map<String, String> environment, Map<String, String> own) {
        if (environment == null) {
            return List.of();
        }
        Set<String> changed = new TreeSet<>();
        for (String name : environment.keySet()) {
            if (name != null && runsCode(name) && !Objects.equals(environment.get(name), own.get(name))) {
                changed.add(name);
            }
        }
        return List.copyOf(changed);
    }
}
