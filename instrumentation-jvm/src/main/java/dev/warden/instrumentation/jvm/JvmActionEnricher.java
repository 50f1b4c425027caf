package dev.warden.instrumentation.jvm;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.instrumentation.api.ActionDescription;
import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.instrumentation.api.FactModel;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Describes {@code jvm} actions for rules and receipts. A command's target is its name as the JVM lists it
 * ({@code GC.heap_dump}), with its arguments and the whole line the JVM parses; a heap dump's target and
 * {@code jvm.path} are the file as the kernel will reach it, from the working directory the JVM started in (where
 * the JVM opens a relative name; not the {@code user.dir} property the application may change later), and
 * {@code jvm.file} the name as given (also the target when it cannot be resolved, with no path among the targets);
 * a VM option's target is its name; a connect to the JVM's attach listener's target is the socket's real path.
 * <p>
 * Facts: {@code jvm.command}, {@code jvm.arguments}, {@code jvm.line}, {@code jvm.file}, {@code jvm.path},
 * {@code jvm.live}, {@code jvm.option}, {@code jvm.value}, {@code jvm.socket} (the name connected to), {@code jvm.via},
 * {@code jvm.pid} (the id the attach client was given) and {@code jvm.self} (whether it reaches this JVM).
 */
final class JvmActionEnricher implements ActionEnricher {

    static final int MAX_SUMMARY_CHARS = 512;

    static final FactModel FACTS = FactModel.of(Set.of("COMMAND", "HEAP_DUMP", "SET_OPTION", "ATTACH"), Set.of(
            "jvm.command", "jvm.arguments", "jvm.line", "jvm.file", "jvm.path", "jvm.live", "jvm.option", "jvm.value",
            "jvm.socket", "jvm.via", "jvm.pid", "jvm.self"))
            .withTargetAttributes("jvm.command", "jvm.line", "jvm.file", "jvm.path", "jvm.option", "jvm.socket");

    private static final List<String> RECEIPT_FIELDS = List.of("jvm.line", "jvm.path", "jvm.live", "jvm.value", "jvm.socket", "jvm.via", "jvm.pid", "jvm.self");

    private final String workingDirectory;

    JvmActionEnricher(String workingDirectory) {
        this.workingDirectory = workingDirectory;
    }

    @Override
    public FactModel facts() {
        return FACTS;
    }

    @Override
    public ActionDescription describe(ActionRequest request) {
        Map<String, Object> attributes = new HashMap<>(request.attributes());
        attributes.remove(dev.warden.bootstrap.jvm.JvmActions.CALL); // only there to keep the request unique
        String target = request.target() == null ? "" : request.target();
        Set<String> targets = target.isEmpty() ? Set.of() : Set.of(target);
        Object file = attributes.get("jvm.file");
        if (file != null) {
            java.util.Optional<String> path = absolute(file.toString());
            // As the file surface's targets: where the kernel writes, so targetsUnder means it; a name that cannot be
            // resolved touches no path a rule could name.
            targets = path.map(Set::of).orElse(Set.of());
            if (path.isPresent()) {
                attributes.put("jvm.path", path.get());
                target = path.get();
            }
        }
        Object pid = attributes.get("jvm.pid");
        if (pid != null) {
            attributes.put("jvm.self", isThisProcess(pid.toString()));
        }
        Map<String, String> summary = new HashMap<>();
        for (String field : RECEIPT_FIELDS) {
            Object value = attributes.get(field);
            if (value != null) {
                String text = value.toString();
                summary.put(field, text.length() > MAX_SUMMARY_CHARS ? text.substring(0, MAX_SUMMARY_CHARS) + "..." : text);
            }
        }
        return new ActionDescription(request.operation(), target, targets, attributes, summary);
    }

    /**
     * Whether the attach client's id reaches this JVM: its process id, or the id of one of its threads (the JDK's own
     * check against attaching to itself compares the process id only, and a thread's id leads to the same process).
     */
    private static boolean isThisProcess(String id) {
        long own = ProcessHandle.current().pid();
        try {
            int number = Integer.parseInt(id); // as the attach client reads it: "+12222" and "012222" are 12222
            if (number == own) {
                return true;
            }
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc", Integer.toString(number), "status"))) {
                if (line.startsWith("Tgid:")) {
                    return Long.parseLong(line.substring("Tgid:".length()).trim()) == own;
                }
            }
            return false;
        } catch (java.io.IOException | RuntimeException notAProcess) {
            return false;
        }
    }

    /**
     * The file as the kernel will reach it: its directory's real path (links followed) and its name. Empty when the
     * directory does not exist or cannot be read, or for a name no path can hold: the JVM then fails to create it, and a
     * rule comparing {@code jvm.path} does not match. A name resolved lexically ({@code dir/link/../x}) would not do: the
     * kernel follows {@code link} before it reads {@code ..}.
     */
    private java.util.Optional<String> absolute(String file) {
        try {
            Path path = Path.of(file);
            if (!path.isAbsolute() && workingDirectory != null) {
                path = Path.of(workingDirectory).resolve(path);
            }
            Path name = path.getFileName();
            Path directory = path.getParent();
            if (name == null || directory == null || name.toString().equals("..") || name.toString().equals(".")) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(directory.toRealPath().resolve(name).toString());
        } catch (InvalidPathException | java.io.IOException | SecurityException unresolvable) {
            return java.util.Optional.empty();
        }
    }
}
