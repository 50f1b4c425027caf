package dev.warden.bootstrap.file;

/** How Linux's procfs names a process or a thread: by its id, in decimal ({@code /proc/4242}, {@code task/4243}). */
public final class ProcfsNames {

    /** More digits than any pid Linux gives out (at most 2^22). */
    private static final int MAX_DIGITS = 10;

    private ProcfsNames() {
    }

    /** Whether {@code name}, one name of a path, is a process's or a thread's id. */
    public static boolean isId(String name) {
        if (name.isEmpty() || name.length() > MAX_DIGITS) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
