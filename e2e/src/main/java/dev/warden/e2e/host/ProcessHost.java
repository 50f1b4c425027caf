package dev.warden.e2e.host;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An ordinary application that starts processes every way Java can and knows nothing of Warden. It
 * runs the steps it is given, all on its main thread, and prints one line per step:
 *
 * <pre>
 *   java ProcessHost STEP...
 *   STEP = pb|PROGRAM|ARG...                 new ProcessBuilder(list).start()
 *        | pb-dir|DIR|PROGRAM|ARG...         the same, in DIR, the environment inherited
 *        | pb-env-dir|DIR|PROGRAM|ARG...     the same, in DIR, with WARDEN_E2E_SECRET=s3cret-value added to the environment
 *        | pb-env|NAME=VALUE|PROGRAM|ARG...  new ProcessBuilder(list) with NAME=VALUE added to the environment
 *        | pb-stdin|TEXT|PROGRAM|ARG...      new ProcessBuilder(list).start(), TEXT and a newline written to its input, then closed
 *        | pb-own-fd|DIR|WORK|PROGRAM|ARG...  the lowest descriptor n of this JVM open on a *.cq4 file below DIR (read from
 *                                          /proc/self/fd), WORK/n written, then pb with {pid} and {fd} in ARGs replaced
 *        | pb-env-swap|DIR|NAME=VALUE|OTHER|PROGRAM|ARG...  pb-env, and a second thread that puts NAME=OTHER in the same
 *                                          builder's environment once a new *.json file appears in DIR, printing SWAPPED step=N
 *        | exec-string|COMMAND LINE          Runtime.exec(String)
 *        | exec-array|PROGRAM|ARG...         Runtime.exec(String[])
 *        | relink-dir|DIR|LINK|TO|PROGRAM|ARG...  DIR/LINK made a symbolic link to TO, then PROGRAM started in DIR
 *        | exec-env-dir|DIR|PROGRAM|ARG...   Runtime.exec(String[], {"WARDEN_E2E_SECRET=s3cret-value"}, new File(DIR))
 *        | redirect-from-stdin|PROGRAM|ARG... PROGRAM started with its standard output redirected to the file named by
 *                                            the host's first line of standard input (a name no argument of the host's holds)
 *        | pipeline|STAGE;STAGE...           ProcessBuilder.startPipeline, STAGE = space-separated command
 *        | empty-list | null-element | exec-empty     bad input: an empty command, a null argument, Runtime.exec("")
 *        | nul|PROGRAM|ARG...                bad input: the first argument gets a NUL character appended
 *        | huge|N|PROGRAM                     bad input: PROGRAM with N arguments of 64 characters
 *        | unencodable|PROGRAM               bad input: PROGRAM caf\uD800 (an unpaired surrogate)
 *        | throwing-list|PROGRAM|ARG...      a command list whose every read throws
 *        | throwing-redirect|FILE|PROGRAM|ARG...  standard output redirected to a File subclass of FILE whose getPath throws
 *        | shifting-redirect|FIRST|THEN|PROGRAM|ARG...  standard output redirected to a File subclass whose getPath says
 *                                          FIRST to its first reader and THEN to every later one
 *        | out-of-memory                     allocates more than the heap can hold (an OutOfMemoryError, reported as ERROR)
 *        | destroy|PID                       ProcessHandle.of(PID): destroy(), then destroyForcibly() (a process the host did
 *                                          not start, its id taken from data), printing OK step=N destroy=B destroyForcibly=B
 *   out: OK step=N exit=E out=STDOUT  |  DENIED step=N thrown=T denial=D cause=C message=M  |  ERROR step=N ...
 * </pre>
 * STDOUT is the process's standard output and error, lines joined with {@code \n}. A {@code ^} in a step
 * stands for {@code |} in an argument: {@code pb|java|...|ProcessHost|pb^echo^hi} gives a child host its steps.
 */
public final class ProcessHost {

    private static final String SECRET = "WARDEN_E2E_SECRET";
    private static volatile int currentStep;

    public static void main(String[] args) {
        for (int step = 0; step < args.length; step++) {
            currentStep = step;
            try {
                String[] parts = args[step].split("\\|", -1);
                for (int i = 0; i < parts.length; i++) {
                    parts[i] = parts[i].replace('^', '|');
                }
                System.out.println("OK step=" + step + " " + (parts[0].equals("destroy") ? destroy(Long.parseLong(parts[1]))
                        : finish(run(parts))));
            } catch (Throwable failure) {
                System.out.println(describeFailure(step, failure));
            }
        }
        System.out.println("DONE");
    }

    private static Process run(String[] step) throws IOException {
        List<String> rest = List.of(step).subList(1, step.length);
        switch (step[0]) {
            case "pb":
                return new ProcessBuilder(rest).redirectErrorStream(true).start();
            case "redirect-from-stdin": {
                String file = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                return new ProcessBuilder(rest).redirectOutput(new File(file)).start();
            }
            case "pb-dir":
                return new ProcessBuilder(rest.subList(1, rest.size())).directory(new File(rest.get(0))).redirectErrorStream(true).start();
            case "pb-env-dir": {
                ProcessBuilder builder = new ProcessBuilder(rest.subList(1, rest.size())).directory(new File(rest.get(0)))
                        .redirectErrorStream(true);
                builder.environment().put(SECRET, "s3cret-value");
                return builder.start();
            }
            case "pb-env": {
                String[] variable = rest.get(0).split("=", 2);
                ProcessBuilder builder = new ProcessBuilder(rest.subList(1, rest.size())).redirectErrorStream(true);
                builder.environment().put(variable[0], variable[1]);
                return builder.start();
            }
            case "pb-env-swap": {
                // Another of the application's threads changes the builder while the start is under way (in the test, as
                // soon as the start's approval request is published in DIR).
                String[] variable = rest.get(1).split("=", 2);
                ProcessBuilder builder = new ProcessBuilder(rest.subList(3, rest.size())).redirectErrorStream(true);
                builder.environment().put(variable[0], variable[1]);
                java.nio.file.Path directory = java.nio.file.Path.of(rest.get(0));
                java.nio.file.WatchService watch = directory.getFileSystem().newWatchService();
                directory.register(watch, java.nio.file.StandardWatchEventKinds.ENTRY_CREATE);
                List<java.nio.file.Path> before;
                try (var listing = java.nio.file.Files.list(directory)) {
                    before = listing.toList();
                }
                int index = currentStep;
                Thread swapper = new Thread(() -> {
                    try (watch) {
                        while (true) {
                            try (var listing = java.nio.file.Files.list(directory)) {
                                if (listing.anyMatch(file -> !before.contains(file) && file.toString().endsWith(".json"))) {
                                    break;
                                }
                            }
                            // Listed again after each event, and every 200 ms whatever the events say (one may be missed).
                            java.nio.file.WatchKey key = watch.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                            if (key != null) {
                                key.pollEvents();
                                key.reset();
                            }
                        }
                        builder.environment().put(variable[0], rest.get(2));
                        System.out.println("SWAPPED step=" + index);
                    } catch (Exception failure) {
                        System.out.println("ERROR swapping step=" + index + " " + failure);
                    }
                }, "swapper");
                swapper.setDaemon(true);
                swapper.start();
                return builder.start();
            }
            case "pb-own-fd": {
                // What an application can learn of itself: its pid, and which of its descriptors is open on a file.
                java.nio.file.Path below = java.nio.file.Path.of(rest.get(0)).toRealPath();
                String found = null;
                try (var descriptors = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
                    for (java.nio.file.Path descriptor : descriptors.sorted(java.util.Comparator.comparingInt(
                            (java.nio.file.Path d) -> Integer.parseInt(d.getFileName().toString()))).toList()) {
                        try {
                            java.nio.file.Path target = java.nio.file.Files.readSymbolicLink(descriptor);
                            if (target.startsWith(below) && target.toString().endsWith(".cq4")) {
                                found = descriptor.getFileName().toString();
                                break;
                            }
                        } catch (IOException gone) {
                            // the listing's own descriptor, closed since
                        }
                    }
                }
                if (found == null) {
                    throw new IOException("no descriptor open below " + below);
                }
                java.nio.file.Files.writeString(java.nio.file.Path.of(rest.get(1), found), "tampered by a child\n");
                List<String> command = new ArrayList<>();
                for (String argument : rest.subList(2, rest.size())) {
                    command.add(argument.replace("{pid}", Long.toString(ProcessHandle.current().pid())).replace("{fd}", found));
                }
                return new ProcessBuilder(command).redirectErrorStream(true).start();
            }
            case "pb-stdin": {
                Process process = new ProcessBuilder(rest.subList(1, rest.size())).redirectErrorStream(true).start();
                try (var input = process.getOutputStream()) {
                    input.write((rest.get(0) + "\n").getBytes(StandardCharsets.UTF_8));
                }
                return process;
            }
            case "out-of-memory":
                throw new IllegalStateException("allocated " + new long[1 << 28].length); // 2 GiB: more than the child's -Xmx
            case "exec-string":
                return Runtime.getRuntime().exec(rest.get(0));
            case "exec-array":
                return Runtime.getRuntime().exec(rest.toArray(new String[0]));
            case "relink-dir": {
                // The agent's file tool points a link of its working directory elsewhere, then its shell tool starts the
                // same command as before: dir, link, where it now leads, the command.
                java.nio.file.Path link = java.nio.file.Path.of(rest.get(0), rest.get(1));
                java.nio.file.Files.deleteIfExists(link);
                java.nio.file.Files.createSymbolicLink(link, java.nio.file.Path.of(rest.get(2)));
                return new ProcessBuilder(rest.subList(3, rest.size())).directory(new File(rest.get(0))).redirectErrorStream(true).start();
            }
            case "exec-env-dir":
                return Runtime.getRuntime().exec(rest.subList(1, rest.size()).toArray(new String[0]),
                        new String[] {SECRET + "=s3cret-value", "PATH=" + System.getenv("PATH")}, new File(rest.get(0)));
            case "pipeline": {
                List<ProcessBuilder> stages = new ArrayList<>();
                for (String stage : rest.get(0).split(";")) {
                    stages.add(new ProcessBuilder(stage.trim().split(" ")));
                }
                List<Process> processes = ProcessBuilder.startPipeline(stages);
                return processes.get(processes.size() - 1);
            }
            case "empty-list":
                return new ProcessBuilder(new ArrayList<>()).start();
            case "null-element":
                return new ProcessBuilder(Arrays.asList("echo", null)).start();
            case "exec-empty":
                return Runtime.getRuntime().exec("");
            case "nul": {
                List<String> command = new ArrayList<>(rest);
                command.set(1, command.get(1) + "\u0000tail");
                return new ProcessBuilder(command).start();
            }
            case "huge": {
                List<String> command = new ArrayList<>();
                command.add(rest.get(1));
                command.addAll(Collections.nCopies(Integer.parseInt(rest.get(0)), "a".repeat(64)));
                return new ProcessBuilder(command).start();
            }
            case "unencodable":
                return new ProcessBuilder(rest.get(0), "caf\uD800").redirectErrorStream(true).start();
            case "throwing-list":
                return new ProcessBuilder(new ThrowingList(rest)).start();
            case "throwing-redirect":
                return new ProcessBuilder(rest.subList(1, rest.size())).redirectOutput(new UnreadableFile(rest.get(0))).start();
            case "shifting-redirect":
                return new ProcessBuilder(rest.subList(2, rest.size())).redirectOutput(new ShiftingFile(rest.get(0), rest.get(1))).start();
            default:
                throw new IllegalArgumentException("unknown step " + step[0]);
        }
    }

    /** What a tool that ends a process by its id does: asks politely, then forcibly. */
    private static String destroy(long pid) {
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no process " + pid));
        return "destroy=" + process.destroy() + " destroyForcibly=" + process.destroyForcibly();
    }

    private static String finish(Process process) throws IOException, InterruptedException {
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("the process did not exit");
        }
        return "exit=" + process.exitValue() + " out=" + new String(out, StandardCharsets.UTF_8).strip().replace("\n", "\\n");
    }

    /** A list an application wrote itself, whose every read fails. */
    private static final class ThrowingList extends ArrayList<String> {
        ThrowingList(List<String> values) {
            super(values);
        }

        @Override
        public Object[] toArray() {
            throw new IllegalStateException("no reading me");
        }

        @Override
        public <T> T[] toArray(T[] array) {
            throw new IllegalStateException("no reading me");
        }

        @Override
        public java.util.Iterator<String> iterator() {
            throw new IllegalStateException("no reading me");
        }
    }

    /**
     * A {@code File} of the application's own class that cannot say its path (the JDK opens a redirect
     * through {@code FileOutputStream}, which asks it, so the start could not go ahead unread either).
     */
    private static final class UnreadableFile extends File {
        UnreadableFile(String path) {
            super(path);
        }

        @Override
        public String getPath() {
            throw new IllegalStateException("the redirect's file cannot say its path");
        }
    }

    /** A {@code File} of the application's own class that names one file to its first reader and another after. */
    private static final class ShiftingFile extends File {
        private final String then;
        private final java.util.concurrent.atomic.AtomicBoolean asked = new java.util.concurrent.atomic.AtomicBoolean();

        ShiftingFile(String first, String then) {
            super(first);
            this.then = then;
        }

        @Override
        public String getPath() {
            return asked.getAndSet(true) ? then : super.getPath();
        }
    }

    /** A refusal is the first throwable in the chain whose message is Warden's; anything else is an error. */
    private static String describeFailure(int step, Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        for (Throwable t : chain) {
            if (t.getMessage() != null && t.getMessage().startsWith("warden:")) {
                return "DENIED step=" + step + " thrown=" + failure.getClass().getName() + " denial=" + t.getClass().getName()
                        + " cause=" + (t.getCause() == null ? "none" : t.getCause().getClass().getSimpleName())
                        + " message=" + t.getMessage();
            }
        }
        return "ERROR step=" + step + " " + failure;
    }
}
