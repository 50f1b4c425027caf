package dev.warden.bootstrap.process;

import dev.warden.bootstrap.ActionDeniedException;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Gate;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The {@code process} surface: every process a Java program starts. All of {@code ProcessBuilder.start},
 * {@code startPipeline} and every {@code Runtime.exec} overload end in {@code java.lang.ProcessImpl.start}
 * with the final command array, environment and directory, so that is where a start is decided
 * ({@link #start}): exactly what will run, after the JDK copied the application's list, once per process.
 * Input the JDK rejects before it gets there (an empty command, a null or NUL-bearing argument) is
 * decided where the application's builder is read ({@link #refusalForUnstartable}), so that it too has
 * a decision and a receipt. Only raw facts are packed here; the module's enricher describes them.
 */
public final class ProcessActions {

    public static final String SURFACE = "process";
    public static final String OPERATION = "EXEC";
    static final String JAVA_TOOL_OPTIONS = "JAVA_TOOL_OPTIONS";
    /**
     * What a start is depends on the disk at the moment of the call (where {@code ./tool} leads, which jar's manifest
     * {@code -jar} names), so no two starts are equal requests: the engine describes each afresh rather than reusing
     * the description of an identical earlier command, which once let {@code ./tool} relinked from echo to bash run
     * as echo (found by a review, 2026-12-06).
     */
    public static final String CALL = "process.call";
    /**
     * The digest of the environment's values when the start gives one ({@link #environmentDigest}): the enricher moves it
     * out of the facts into what the action's digest binds, so no rule and no receipt sees it, and an approval of
     * {@code DEPLOY_TARGET=staging} does not run the same command with {@code production} (nor with {@code BASH_ENV}).
     */
    public static final String ENVIRONMENT_DIGEST = "process.env.digest";
    private static final java.util.concurrent.atomic.AtomicLong CALLS = new java.util.concurrent.atomic.AtomicLong();

    private ProcessActions() {
    }

    /**
     * What {@code ProcessImpl.start} must do: fail with {@link #refusal()}, or start with {@link #environment()} and
     * {@link #redirects()}.
     */
    public static final class Start {
        private final IOException refusal;
        private final Map<String, String> environment;
        private final ProcessBuilder.Redirect[] redirects;

        Start(IOException refusal, Map<String, String> environment, ProcessBuilder.Redirect[] redirects) {
            this.refusal = refusal;
            this.environment = environment;
            this.redirects = redirects;
        }

        /** The redirects the JDK opens: those decided, each file by the path Warden read. */
        public ProcessBuilder.Redirect[] redirects() {
            return redirects;
        }

        public IOException refusal() {
            return refusal;
        }

        /** The child's environment: the one given, or a copy carrying Warden for a child JVM. */
        public Map<String, String> environment() {
            return environment;
        }
    }

    /**
     * Decides one process start, from the values {@code ProcessImpl.start} received.
     *
     * @param given the builder's environment, as the JDK passes it; null when the child inherits this process's
     */
    public static Start start(String[] command, Map<String, String> given, String directory,
                              ProcessBuilder.Redirect[] givenRedirects, boolean redirectErrorStream) {
        if (Gate.isInternal()) {
            return new Start(null, given, givenRedirects);
        }
        boolean childAgent;
        ActionRequest request;
        Map<String, String> environment = given;
        ProcessBuilder.Redirect[] redirects = givenRedirects;
        try {
            environment = snapshot(given);
            redirects = RedirectFiles.snapshot(givenRedirects);
            boolean javaLauncher = isJavaLauncher(command[0]);
            childAgent = ChildAgent.enabled() && javaLauncher;
            // The variables' hooks whatever the program (a wrapper hands them on to the JVM it starts), the
            // arguments' for a java launcher; the enricher adds those of a JVM known by where its link leads.
            List<String> hooks = JavaHooks.of(javaLauncher ? List.of(command).subList(1, command.length) : List.of(),
                    optionVariables(environment));
            Map<String, Object> attributes = new HashMap<>(16);
            attributes.put("process.command", List.of(command));
            attributes.put("process.program", command[0]);
            if (directory != null) {
                attributes.put("process.directory", directory);
            }
            attributes.put("process.env.inherited", environment == null);
            attributes.put("process.env.names", List.copyOf(new TreeSet<>(environment == null ? System.getenv().keySet() : environment.keySet())));
            // An inherited environment is the JVM's own, which Java cannot change (System.getenv is a snapshot taken at
            // start): its values are the same at every start, so they bind nothing an approval could be moved by.
            if (environment != null) {
                attributes.put(ENVIRONMENT_DIGEST, environmentDigest(environment));
                // Names only: variables the start sets that make the program run code beside its command (LD_PRELOAD).
                List<String> code = CodeVariables.of(environment, System.getenv());
                if (!code.isEmpty()) {
                    attributes.put("process.env.code", code);
                }
            }
            attributes.put("process.redirects", redirects(redirects, redirectErrorStream));
            attributes.put(CALL, CALLS.incrementAndGet());
            if (!hooks.isEmpty()) {
                attributes.put("process.java.hooks", hooks);
            }
            // The child still gets Warden if permitted, but is not said to be under it: the hooks run outside it.
            if (childAgent && hooks.isEmpty()) {
                attributes.put("process.child.agent", true);
            }
            request = new ActionRequest(SURFACE, OPERATION, command[0], attributes);
        } catch (Throwable failure) {
            return new Start(refusal(unreadable(failure)), environment, redirects);
        }
        Decision decision = Gate.decide(request);
        if (decision.blocks()) {
            return new Start(refusal(decision), environment, redirects);
        }
        try {
            return new Start(null, ChildEnvironment.of(environment, childAgent), redirects);
        } catch (Throwable failure) {
            // A child that should carry Warden but cannot is not started without it.
            return new Start(refusal(Decision.failClosed("could not give the child JVM Warden: " + failure.getClass().getName(),
                    decision.receiptId())), environment, redirects);
        }
    }

    /**
     * The environment the child gets, copied before anything is read of it: the JDK hands {@code ProcessImpl.start} the
     * builder's own map, which it reads again after the decision, and another thread of the application may change it
     * meanwhile. A call held for approval waits inside its decision ({@code hold-wait}), so until a tenth review
     * (2026-12-07) the approval of {@code DEPLOY_TARGET=staging} ran the script with {@code production}, put in the map
     * while it waited (and {@code LD_PRELOAD} put there was never {@code process.env.code}). What is decided, bound and
     * started is now this copy, of the JDK's own map type.
     *
     * @return null when the child inherits this process's environment
     */
    static Map<String, String> snapshot(Map<String, String> environment) {
        if (environment == null) {
            return null;
        }
        Map<String, String> copy = new ProcessBuilder().environment();
        copy.clear();
        copy.putAll(environment);
        return copy;
    }

    /**
     * {@code ProcessBuilder.start}'s check of the application's command list, before the JDK reads it.
     * A list that reads as something the JDK will start returns null: {@link #start} decides what the JDK
     * actually copied. A list that cannot be read, or that the JDK will reject (empty, a null element,
     * a NUL character), is decided here with {@code process.error}, so that even a start that never
     * happens has a decision and a receipt.
     *
     * @return the exception the start must fail with, or null to let the JDK go on
     */
    public static IOException refusalForUnstartable(List<String> command) {
        if (Gate.isInternal()) {
            return null;
        }
        try {
            String[] snapshot;
            String error;
            try {
                snapshot = command.toArray(new String[0]);
                error = problemOf(snapshot);
            } catch (Throwable unreadable) {
                // Only the exception's class: its message and toString are the application's code too.
                snapshot = new String[0];
                error = "the command could not be read: " + unreadable.getClass().getName();
            }
            return error == null ? null : decideUnstartable(snapshot, error);
        } catch (Throwable failure) {
            return refusal(unreadable(failure));
        }
    }

    /**
     * {@code Runtime.exec(String, ...)}: an empty command string is rejected by the JDK before any
     * builder exists; it is decided here. Any other string reaches {@link #refusalForUnstartable}.
     */
    public static IOException refusalForCommandLine(String command) {
        if (Gate.isInternal() || (command != null && !command.isEmpty())) {
            return null;
        }
        try {
            return decideUnstartable(new String[0], command == null ? "null command" : "empty command");
        } catch (Throwable failure) {
            return refusal(unreadable(failure));
        }
    }

    /**
     * {@code ProcessBuilder.start} wraps whatever {@code ProcessImpl.start} throws in an {@link IOException}
     * of its own ("Cannot run program ..."); a refusal reaches the application as itself.
     */
    public static Throwable unwrapped(Throwable thrown) {
        try {
            Throwable cause = thrown.getCause();
            if (thrown instanceof IOException && cause instanceof IOException && cause.getCause() instanceof ActionDeniedException) {
                return cause;
            }
        } catch (Throwable ignored) {
            // Not Warden's refusal, then: the application gets what the JDK threw.
        }
        return thrown;
    }

    /**
     * SHA-256 of the variables sorted by name, each written as the length of its name's UTF-8 bytes, {@code :}, the name,
     * the length of its value's, {@code :} and the value: no two environments have one text. Only the digest leaves here.
     */
    static String environmentDigest(Map<String, String> environment) {
        java.security.MessageDigest sha = dev.warden.bootstrap.Bindings.sha256();
        for (Map.Entry<String, String> variable : new java.util.TreeMap<>(environment).entrySet()) {
            lengthPrefixed(sha, variable.getKey());
            lengthPrefixed(sha, String.valueOf(variable.getValue()));
        }
        return dev.warden.bootstrap.Bindings.hexDigest(sha);
    }

    private static void lengthPrefixed(java.security.MessageDigest sha, String text) {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        sha.update(Integer.toString(bytes.length).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        sha.update((byte) ':');
        sha.update(bytes);
    }

    /** The recorded refusal of a start that could not be described (what the advice read threw). */
    private static Decision unreadable(Throwable failure) {
        return Gate.refuseUnreadable(SURFACE, Decision.unreadable("could not describe the process start", failure));
    }

    /** A refused start: an {@link IOException}, which every way of starting a process declares. */
    public static IOException refusal(Decision decision) {
        IOException refused = new IOException(decision.denialMessage());
        refused.initCause(new ActionDeniedException(decision));
        return refused;
    }

    /**
     * The values of {@link JavaHooks#VARIABLES} the child will get: from its environment, or this process's when it
     * inherits it; {@code JAVA_TOOL_OPTIONS} without Warden's own agent, which {@link ChildEnvironment} replaces.
     */
    private static Map<String, String> optionVariables(Map<String, String> environment) {
        Map<String, String> values = new HashMap<>(4);
        for (String variable : JavaHooks.VARIABLES) {
            String value = environment == null ? System.getenv(variable) : environment.get(variable);
            if (value != null) {
                String prefix = ChildAgent.optionPrefix();
                values.put(variable, variable.equals(JAVA_TOOL_OPTIONS) && prefix != null ? ChildEnvironment.withoutOption(value, prefix) : value);
            }
        }
        return values;
    }

    static boolean isJavaLauncher(String program) {
        String name = program.substring(Math.max(program.lastIndexOf('/'), program.lastIndexOf('\\')) + 1);
        return name.equals("java") || name.equals("java.exe") || name.equals("javaw.exe");
    }

    private static IOException decideUnstartable(String[] snapshot, String error) {
        List<String> command = new ArrayList<>(snapshot.length);
        for (String argument : snapshot) {
            command.add(argument == null ? "" : argument);
        }
        Map<String, Object> attributes = new HashMap<>(8);
        attributes.put("process.command", command);
        attributes.put("process.program", command.isEmpty() ? "" : command.get(0));
        attributes.put("process.error", error);
        Decision decision = Gate.decide(new ActionRequest(SURFACE, OPERATION, command.isEmpty() ? "" : command.get(0), attributes));
        return decision.blocks() ? refusal(decision) : null;
    }

    /** What the JDK will refuse to start, in its own order of checks; null when it will try. */
    static String problemOf(String[] command) {
        if (command == null || command.length == 0) {
            return "empty command";
        }
        for (int i = 0; i < command.length; i++) {
            if (command[i] == null) {
                return "argument " + i + " is null";
            }
        }
        for (int i = 0; i < command.length; i++) {
            if (command[i].indexOf('\u0000') >= 0) {
                return "argument " + i + " contains a NUL character";
            }
        }
        return null;
    }

    /** {@code stdin=PIPE}, {@code stdout=WRITE /tmp/out}, ...; {@code stderr=STDOUT} when merged. */
    private static List<String> redirects(Object[] redirects, boolean redirectErrorStream) {
        String[] streams = {"stdin", "stdout", "stderr"};
        List<String> described = new ArrayList<>(3);
        for (int i = 0; i < streams.length; i++) {
            Object redirect = redirects == null || i >= redirects.length ? null : redirects[i];
            String how = "PIPE";
            if (i == 2 && redirectErrorStream) {
                how = "STDOUT";
            } else if (redirect instanceof java.lang.ProcessBuilder.Redirect) {
                java.lang.ProcessBuilder.Redirect known = (java.lang.ProcessBuilder.Redirect) redirect;
                File file = known.file();
                how = known.type().name() + (file == null ? "" : " " + file.getPath());
            }
            described.add(streams[i] + "=" + how);
        }
        return described;
    }

    /** Warden's {@code -javaagent} in a child JVM's {@code JAVA_TOOL_OPTIONS}, and never in other children. */
    static final class ChildEnvironment {

        private ChildEnvironment() {
        }

        /**
         * @param environment the environment the JDK was given (null: inherit this process's)
         * @param childJvm    whether the child is a JVM that gets Warden
         * @return {@code environment} itself when nothing changes, else a copy of the JDK's own map type
         */
        static Map<String, String> of(Map<String, String> environment, boolean childJvm) {
            String prefix = ChildAgent.optionPrefix();
            if (prefix == null) {
                return environment;
            }
            String existing = environment == null ? System.getenv(JAVA_TOOL_OPTIONS) : environment.get(JAVA_TOOL_OPTIONS);
            // A JVM that is itself a Warden child inherited its parent's option, naming the receipts
            // directory it writes to: no other process may carry it on (one writer per directory).
            String kept = withoutOption(existing, prefix);
            String value = childJvm ? join(kept, ChildAgent.nextOption()) : kept;
            if (value.equals(existing == null ? "" : existing)) {
                return environment;
            }
            // ProcessImpl needs the JDK's own environment type: a fresh builder's environment is one.
            Map<String, String> copy = new ProcessBuilder().environment();
            if (environment != null) {
                copy.clear();
                copy.putAll(environment);
            }
            if (value.isEmpty()) {
                copy.remove(JAVA_TOOL_OPTIONS);
            } else {
                copy.put(JAVA_TOOL_OPTIONS, value);
            }
            return copy;
        }

        static String withoutOption(String options, String prefix) {
            if (options == null || options.isBlank()) {
                return "";
            }
            StringBuilder kept = new StringBuilder();
            for (String token : options.trim().split("\\s+")) {
                if (!token.startsWith(prefix)) {
                    join(kept, token);
                }
            }
            return kept.toString();
        }

        private static String join(String first, String second) {
            return first.isEmpty() ? second : first + " " + second;
        }

        private static void join(StringBuilder joined, String token) {
            if (joined.length() > 0) {
                joined.append(' ');
            }
            joined.append(token);
        }
    }
}
