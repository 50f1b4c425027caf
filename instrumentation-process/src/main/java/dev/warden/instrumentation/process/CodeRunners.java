package dev.warden.instrumentation.process;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Programs that are no launchers by trade but run a command or code their arguments choose: interpreters given code
 * ({@code python3 -c}, {@code perl -e}) or on their input (a shell given no script file), editors and {@code make}
 * ({@code vim -c '!cmd'}), {@code awk} whose program calls {@code system} or a pipe, {@code sed} without
 * {@code --sandbox} (its {@code e} command), and tools given an option that runs one ({@code tar --to-command}, {@code --checkpoint-action=exec}, {@code git -c alias.x=!cmd},
 * {@code rsync -e}, {@code ssh -o ProxyCommand}, {@code zip -TT}, {@code split --filter}, {@code socat EXEC:},
 * {@code openssl -engine}, {@code wget --use-askpass}, {@code install --strip-program}, {@code sdiff --diff-program}), programs whose input language runs a command ({@code sqlite3 .shell}, {@code psql \!},
 * {@code ed !cmd}) and build and package tools ({@code npm run}, {@code npx}, {@code pip install}).
 * A role's allow of such a program by its path ran whatever it was told until a review of 2026-12-07; such a start
 * is now flagged with the launchers ({@code process.launcher}). Each reading errs towards flagging: an argument it
 * cannot place (a cluster of short options, an abbreviated long one) counts as the option that runs a command.
 */
final class CodeRunners {

    /**
     * Interpreters: code given in their arguments ({@code -c}, {@code -e}, {@code -r}, a module, a library to load) or
     * on their standard input runs what the data says. A script file named first, before any option, is the script
     * a permit is for (as a shell given a file is no {@code process.shell}): the file's writing was the file surface's.
     */
    private static final Set<String> INTERPRETERS = Set.of("python", "pypy", "perl", "ruby", "node", "nodejs", "deno", "bun",
            "php", "lua", "luajit", "tclsh", "wish", "expect", "rscript", "julia", "guile", "racket", "sbcl", "clisp", "ocaml",
            "runghc", "scala", "groovy", "jjs", "osascript");
    /**
     * Their commands come from their arguments, their input or files they find themselves (a Makefile, a vimrc, an
     * {@code at} job): whatever they are given, they run a command (editors: {@code vim -c '!cmd'}, {@code :!} on input).
     */
    private static final Set<String> COMMAND_READERS = Set.of("irb", "ghci", "vi", "vim", "nvim", "ex", "view", "vimdiff", "gvim",
            "rvim", "emacs", "make", "gmake", "bmake", "at", "batch");
    private static final Set<String> ONLY_INFORMATION = Set.of("--version", "-V", "--help", "-h");
    /**
     * Their input language runs a command: ed's and dc's {@code !cmd}, sqlite3's {@code .shell} and {@code .system}, psql's
     * {@code \!} and {@code \o |cmd}, mysql's {@code system}, ftp's {@code !}; whatever they are given (SQL text in
     * {@code -c}, a file, their input) may hold one. A review (2026-12-07) ran {@code sqlite3 :memory: '.shell touch x'},
     * {@code psql -c '\! touch x'} and {@code ed} reading {@code !touch x} under a YAML role's allow of each.
     */
    private static final Set<String> SHELL_ESCAPES = Set.of("ed", "red", "dc", "sqlite", "psql", "mysql", "mariadb", "ftp", "lftp",
            "sftp");
    /**
     * Build and package tools run the scripts of what they build or install, which a project or package of anyone's
     * writing holds: npm's and npx's scripts ({@code npm run x}, {@code npx -c}), pip's {@code setup.py}, a Maven or Gradle
     * build's plugins, cargo's {@code build.rs}, {@code go generate}. A review (2026-12-07) ran {@code npx -c 'touch x'}
     * and a {@code package.json} script under a YAML role's allow of npx and npm.
     */
    private static final Set<String> BUILDERS = Set.of("npm", "npx", "npm-cli", "npx-cli", "pnpm", "pnpx", "yarn", "corepack",
            "pip", "pipx", "uv", "uvx", "poetry", "pdm", "hatch", "tox", "nox", "gem", "bundle", "bundler", "rake", "cargo", "go",
            "mvn", "mvnw", "gradle", "gradlew", "ant", "sbt", "cmake", "ninja", "meson", "composer", "dotnet");
    /** The only arguments that make such a tool run nothing (their short forms mean other things: {@code psql -h host}). */
    private static final Set<String> ONLY_LONG_INFORMATION = Set.of("--version", "--help");
    private static final Set<String> AWKS = Set.of("awk", "gawk", "mawk", "nawk", "original-awk");
    /** POSIX-like shells: given no script file, or {@code -s}, they run what their standard input says. */
    private static final Set<String> SHELLS = Set.of("sh", "bash", "rbash", "dash", "zsh", "ksh", "mksh", "lksh", "pdksh", "oksh",
            "ash", "yash", "posh", "fish", "csh", "tcsh");
    /** A shell's options that take the next argument, which is no script file. */
    private static final Set<String> SHELL_OPTIONS_WITH_VALUE = Set.of("-o", "+o", "-O", "+O", "--rcfile", "--init-file");
    /** git's global options that take the next argument, which is no subcommand. */
    private static final Set<String> GIT_OPTIONS_WITH_VALUE = Set.of("-C", "-c", "--git-dir", "--work-tree", "--namespace",
            "--config-env", "--super-prefix", "--list-cmds", "--attr-source");

    private CodeRunners() {
    }

    /** Whether {@code name} (a base name), given {@code arguments}, runs a command or code of its arguments' choosing. */
    static boolean runsCode(String name, List<String> arguments, java.nio.file.Path directory) {
        String family = family(name);
        boolean information = !arguments.isEmpty() && ONLY_INFORMATION.containsAll(arguments);
        if (COMMAND_READERS.contains(family)) {
            return !information;
        }
        if (SHELL_ESCAPES.contains(family) || BUILDERS.contains(family)) {
            return arguments.isEmpty() || !ONLY_LONG_INFORMATION.containsAll(arguments);
        }
        if (INTERPRETERS.contains(family)) {
            // no arguments: code from standard input; an option first (-c, -e, -m, -, -u x.py): read as code given
            return !information && (arguments.isEmpty() || arguments.get(0).isEmpty() || arguments.get(0).startsWith("-")
                    || InputScripts.isInput(arguments.get(0), directory));
        }
        if (SHELLS.contains(family)) {
            return readsItsInput(arguments, directory);
        }
        if (AWKS.contains(family)) {
            return awkRunsACommand(arguments);
        }
        return switch (family) {
            case "sed", "gsed" -> !options(arguments).contains("--sandbox"); // GNU sed's e command and s///e run the pattern space
            case "tar" -> tarRunsACommand(arguments);
            case "git" -> gitRunsACommand(arguments);
            case "rsync" -> anyLong(arguments, "rsh", "rsync-path", "daemon", "config", "remote-option")
                    || anyShort(arguments, "eM");
            case "ssh", "scp" -> anyShort(arguments, "oFSD"); // -o ProxyCommand, a config file, scp's program
            case "zip" -> arguments.stream().anyMatch(a -> a.startsWith("-TT")) || anyLong(arguments, "unzip-command");
            case "split" -> anyLong(arguments, "filter");
            case "sort" -> anyLong(arguments, "compress-program");
            case "socat" -> arguments.stream().anyMatch(a -> a.toUpperCase(Locale.ROOT).contains("EXEC")
                    || a.toUpperCase(Locale.ROOT).contains("SYSTEM"));
            case "nc", "ncat", "netcat" -> anyShort(arguments, "ec") || anyLong(arguments, "exec", "sh-exec", "lua-exec");
            case "openssl" -> opensslLoadsCode(arguments);
            // wget runs --use-askpass's program, also set by -e/--execute or a --config file (use_askpass = ...)
            case "wget" -> anyLong(arguments, "use-askpass", "execute", "config") || anyShort(arguments, "e");
            case "install", "ginstall" -> anyLong(arguments, "strip-program");
            case "sdiff", "diff" -> anyLong(arguments, "diff-program"); // diff3 is of the diff family
            default -> false;
        };
    }

    /**
     * A program's name without a version or variant: {@code python3.11} and {@code python3} are {@code python},
     * {@code vim.basic} is {@code vim}, {@code perl5.36.0} is {@code perl}.
     */
    static String family(String name) {
        String plain = name.toLowerCase(Locale.ROOT);
        if (plain.endsWith(".exe")) {
            plain = plain.substring(0, plain.length() - ".exe".length());
        }
        int dot = plain.indexOf('.');
        if (dot > 0) {
            plain = plain.substring(0, dot);
        }
        int end = plain.length();
        while (end > 1 && (Character.isDigit(plain.charAt(end - 1)) || plain.charAt(end - 1) == '-')) {
            end--;
        }
        return plain.substring(0, end);
    }

    /**
     * A shell given no script file ({@code bash}, {@code bash --norc}) or told to read its input ({@code bash -s}, a
     * cluster {@code -xs}) runs what the application writes to it, as an interpreter does; {@code -c} is
     * {@code process.shell}'s. Only {@code --version} and {@code --help} run nothing.
     */
    private static boolean readsItsInput(List<String> arguments, java.nio.file.Path directory) {
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            if (argument.equals("--version") || argument.equals("--help")) {
                return false;
            }
            if (argument.equals("--")) {
                return i + 1 >= arguments.size() || InputScripts.isInput(arguments.get(i + 1), directory);
            }
            if (SHELL_OPTIONS_WITH_VALUE.contains(argument)) {
                i++;
            } else if (argument.length() > 1 && argument.charAt(0) == '-' && argument.charAt(1) != '-' && argument.indexOf('s') > 0) {
                return true; // -s, -xs: commands from standard input
            } else if (!argument.startsWith("-") && !argument.startsWith("+")) {
                return InputScripts.isInput(argument, directory); // the script file, or -c's command (process.shell)
            }
        }
        return true;
    }

    /**
     * awk runs commands by {@code system()}, a pipe ({@code print | "sh"}, {@code "cmd" | getline}, gawk's {@code |&}) and
     * gawk's {@code @} (an indirect call, {@code @load}); its program may come from a file ({@code -f}), and gawk loads
     * extensions ({@code -l}) and includes ({@code -i}), mawk runs {@code -W exec}.
     */
    private static boolean awkRunsACommand(List<String> arguments) {
        for (String argument : arguments) {
            if (argument.toLowerCase(Locale.ROOT).contains("system") || argument.contains("|") || argument.contains("@")) {
                return true;
            }
        }
        return anyShort(arguments, "fEliW") || anyLong(arguments, "file", "exec", "load", "include");
    }

    /**
     * tar runs commands by {@code --to-command}, {@code --checkpoint-action=exec}, {@code --use-compress-program} ({@code -I}),
     * {@code --info-script} and {@code --new-volume-script} ({@code -F}), {@code --rsh-command} and {@code --rmt-command}, and
     * runs {@code rsh} for an archive named {@code host:file} unless {@code --force-local}. Its first argument, without a
     * dash, is a cluster of options ({@code xIf}).
     */
    private static boolean tarRunsACommand(List<String> arguments) {
        if (anyLong(arguments, "to-command", "checkpoint-action", "use-compress-program", "info-script", "new-volume-script",
                "rsh-command", "rmt-command") || anyShort(arguments, "IF")) {
            return true;
        }
        if (!arguments.isEmpty() && !arguments.get(0).startsWith("-")
                && (arguments.get(0).indexOf('I') >= 0 || arguments.get(0).indexOf('F') >= 0)) {
            return true;
        }
        if (arguments.contains("--force-local")) {
            return false;
        }
        for (String argument : arguments) {
            int colon = argument.indexOf(':');
            int slash = argument.indexOf('/');
            if (colon >= 0 && (slash < 0 || colon < slash)) {
                return true; // a remote archive, reached through rsh
            }
        }
        return false;
    }

    /**
     * git runs what its configuration says ({@code -c alias.x=!cmd}, {@code -c core.sshCommand=}, {@code --config-env}),
     * programs named by {@code --exec-path}, {@code --upload-pack} and {@code --receive-pack} (clone's and ls-remote's
     * {@code -u}), {@code --exec} (push, archive, rebase's {@code -x}), difftool's {@code --extcmd}, and the commands of
     * {@code bisect run}, {@code submodule foreach} and {@code filter-branch}; {@code config} setting a value writes what a
     * later call runs. {@code --template} copies a directory's hooks into the new repository, which clone then runs
     * ({@code post-checkout}), grep's {@code -O<command>} runs the command on the files, and {@code send-email},
     * {@code instaweb}, {@code mergetool} and {@code hook} run programs their options or hooks name (a review, 2026-12-07,
     * ran a host-written {@code post-checkout} by {@code clone --template} and {@code grep -O} under an allow of git). Every argument is read so, the subcommand's too (a false refusal rather than a way past).
     */
    private static boolean gitRunsACommand(List<String> arguments) {
        if (arguments.contains("-c") || anyLong(arguments, "config-env", "exec-path", "exec", "upload-pack", "receive-pack",
                "extcmd", "access-hook", "template")) {
            return true;
        }
        for (String argument : arguments) {
            if (argument.startsWith("-c") && !argument.startsWith("--") && argument.length() > 2) {
                return true; // -cname=value, as a reading of -c that errs towards it
            }
        }
        String subcommand = subcommand(arguments);
        return switch (subcommand) {
            case "clone", "ls-remote" -> anyShort(arguments, "u");
            case "rebase" -> anyShort(arguments, "x");
            case "difftool" -> anyShort(arguments, "x");
            case "grep" -> anyShort(arguments, "O") || anyLong(arguments, "open-files-in-pager"); // -O<command> runs it on the files
            case "bisect", "submodule", "filter-branch", "send-email", "instaweb", "mergetool", "hook" -> true;
            case "config" -> !arguments.contains("--get") && !arguments.contains("--get-all") && !arguments.contains("--list")
                    && !arguments.contains("-l") && !arguments.contains("--get-regexp") && !arguments.contains("get")
                    && !arguments.contains("list");
            default -> false;
        };
    }

    /**
     * openssl loads the shared library an engine or provider option names ({@code -engine /tmp/x.so}, {@code -provider-path
     * dir -provider x}, {@code engine dynamic -pre SO_PATH:...}, {@code s_client -ssl_client_engine}) or one its
     * configuration names ({@code -config}): a review (2026-12-07) ran a library's constructor by {@code openssl rand
     * -engine} under a YAML role's allow of openssl. Its options take one dash or two.
     */
    private static boolean opensslLoadsCode(List<String> arguments) {
        for (String argument : arguments) {
            if (argument.equalsIgnoreCase("engine")) {
                return true; // the subcommand
            }
            if (!argument.startsWith("-")) {
                continue;
            }
            String name = argument.substring(argument.startsWith("--") ? 2 : 1).toLowerCase(Locale.ROOT);
            int equals = name.indexOf('=');
            name = equals < 0 ? name : name.substring(0, equals);
            if (name.contains("engine") || name.startsWith("provider") || name.equals("config")) {
                return true;
            }
        }
        return false;
    }

    /** git's subcommand: the first argument that is no global option nor the value of one. */
    private static String subcommand(List<String> arguments) {
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            if (GIT_OPTIONS_WITH_VALUE.contains(argument)) {
                i++;
            } else if (!argument.startsWith("-")) {
                return argument;
            }
        }
        return "";
    }

    /** The options before a {@code --}. */
    private static List<String> options(List<String> arguments) {
        int end = arguments.indexOf("--");
        return end < 0 ? arguments : arguments.subList(0, end);
    }

    /**
     * Whether an argument is a long option ({@code --name} or {@code --name=value}) whose name is one of {@code names} or
     * an abbreviation of one (getopt takes any unambiguous prefix); an empty name in {@code names} matches none.
     */
    private static boolean anyLong(List<String> arguments, String... names) {
        for (String argument : arguments) {
            if (!argument.startsWith("--") || argument.length() == 2) {
                continue;
            }
            int equals = argument.indexOf('=');
            String given = (equals < 0 ? argument.substring(2) : argument.substring(2, equals)).toLowerCase(Locale.ROOT);
            for (String name : names) {
                if (!name.isEmpty() && name.startsWith(given)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a cluster of short options ({@code -avze}) holds one of {@code letters}, or a value run into it does. */
    private static boolean anyShort(List<String> arguments, String letters) {
        for (String argument : arguments) {
            if (argument.length() < 2 || argument.charAt(0) != '-' || argument.charAt(1) == '-') {
                continue;
            }
            for (int i = 1; i < argument.length(); i++) {
                if (letters.indexOf(argument.charAt(i)) >= 0) {
                    return true;
                }
            }
        }
        return false;
    }
}
