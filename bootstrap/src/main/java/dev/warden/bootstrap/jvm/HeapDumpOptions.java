package dev.warden.bootstrap.jvm;

/**
 * The manageable flags that have HotSpot write the heap later on its own ({@code HeapDumpOnOutOfMemoryError},
 * {@code HeapDumpBeforeFullGC}, {@code HeapDumpAfterFullGC}) and where ({@code HeapDumpPath}, and
 * {@code HeapDumpGzipLevel}, which changes the name). A dump the operator asked for at launch is one of Warden's own
 * files, since it holds Warden's keys; the names are settled at start. The same flags set later, through a
 * {@code setVMOption} or {@code VM.set_flag} a policy permits, would have the next {@code OutOfMemoryError} or full GC
 * (both the host's to bring about) write the keys where the host may read them, so they are refused whatever the
 * policy: an operator sets them at launch.
 */
final class HeapDumpOptions {

    static final String REASON = "a heap dump option set after the start would have HotSpot write the heap, Warden's keys "
            + "in it, where Warden does not keep it: set HeapDumpPath and the HeapDump* flags at launch";

    private HeapDumpOptions() {
    }

    /** Whether {@code text} (an option's name, or a {@code VM.set_flag} command's arguments) names a heap dump flag. */
    static boolean named(String text) {
        return text.contains("HeapDump");
    }
}
