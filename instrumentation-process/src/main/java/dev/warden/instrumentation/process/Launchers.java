package dev.warden.instrumentation.process;

import java.util.List;
import java.util.Set;

/**
 * Programs whose work is to start another program they are given: {@code env}, {@code nice}, {@code nohup},
 * {@code timeout}, {@code xargs}, {@code sudo}, {@code busybox} (any applet), {@code find -exec}, {@code run-parts} (every
 * program of a directory), {@code ssh-agent}, {@code setarch}, {@code fakeroot}, {@code sg}, {@code capsh --}, ... A rule that
 * permits one by its path permits whatever it is told to run: the end-to-end {@code process-child} pack permitted
 * {@code /usr/bin/env} to show a grandchild's environment, and so permitted {@code env touch ...}, {@code env sh -c ...}
 * (a review, 2026-12-07). Such a start is flagged ({@code process.launcher}) by the name given or by where it leads,
 * so a rule can refuse launchers given a command, as {@code process.shell} refuses shells given a script. A launcher
 * with nothing to start is not flagged where that can be told for sure ({@code env} with only its own options and
 * assignments prints the environment; {@code find} without {@code -exec}); any argument this cannot read flags it.
 */
final class Launchers {

    private static final Set<String> LAUNCHERS = Set.of("env", "nice", "nohup", "timeout", "xargs", "sudo", "doas", "su",
            "runuser", "pkexec", "setsid", "setpriv", "stdbuf", "chroot", "taskset", "ionice", "chrt", "nsenter", "unshare",
            "flock", "time", "watch", "strace", "ltrace", "prlimit", "numactl", "systemd-run", "script", "firejail", "bwrap",
            "parallel", "busybox", "toybox", "start-stop-daemon", "chpst", "cgexec", "catchsegv", "valgrind", "gdb", "find",
            // A review (2026-12-07) ran a command through each of the first seven under a YAML role's allow of it.
            "run-parts", "ssh-agent", "setarch", "fakeroot", "dbus-run-session", "sg", "capsh", "linux32", "linux64", "runcon",
            "fakechroot", "dbus-launch", "xvfb-run", "unbuffer", "rlwrap", "eatmydata", "faketime", "torsocks", "proxychains",
            "proxychains4", "tini", "dumb-init", "daemonize", "sshpass", "systemd-nspawn", "lckdo", "chronic", "ifne", "entr",
            "sem", "tmux", "screen", "mpirun", "mpiexec", "perf");
    /** find's actions that run a command per file. */
    private static final Set<String> FIND_COMMANDS = Set.of("-exec", "-execdir", "-ok", "-okdir");
    /** env's options that take no value; {@code -u}, {@code -C} take the next argument; {@code -S} is a command. */
    private static final Set<String> ENV_FLAGS = Set.of("-i", "-", "-0", "-v", "--ignore-environment", "--null", "--debug", "--");

    private Launchers() {
    }

    /** Whether {@code name} (a base name), given {@code arguments}, starts a program of its arguments' choosing. */
    static boolean launches(String name, List<String> arguments) {
        String plain = name.toLowerCase(java.util.Locale.ROOT);
        if (!LAUNCHERS.contains(plain)) {
            return false;
        }
        return switch (plain) {
            case "env" -> envRunsACommand(arguments);
            case "find" -> arguments.stream().anyMatch(FIND_COMMANDS::contains);
            case "xargs" -> true; // with no command it runs echo, and its input chooses the arguments
            default -> !arguments.isEmpty();
        };
    }

    /** env prints the environment unless an operand that is no {@code NAME=VALUE} (or {@code -S}) names a command. */
    private static boolean envRunsACommand(List<String> arguments) {
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            if (ENV_FLAGS.contains(argument) || argument.startsWith("--unset=") || argument.startsWith("--chdir=")) {
                continue;
            }
            if (argument.equals("-u") || argument.equals("-C") || argument.equals("--unset") || argument.equals("--chdir")) {
                i++; // its value
                continue;
            }
            if ((argument.startsWith("-u") || argument.startsWith("-C")) && argument.length() > 2) {
                continue; // -uNAME, -CDIR
            }
            if (!argument.startsWith("-") && argument.indexOf('=') > 0) {
                continue; // NAME=VALUE
            }
            return true; // a command, -S/--split-string, or an option not read here
        }
        return false;
    }
}
