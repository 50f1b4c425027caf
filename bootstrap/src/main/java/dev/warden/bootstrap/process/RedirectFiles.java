package dev.warden.bootstrap.process;

import java.io.File;
import java.lang.ProcessBuilder.Redirect;

/**
 * A redirect's file as the JDK will open it. {@code ProcessImpl.start} opens a redirect through
 * {@code new FileOutputStream(redirect.file())}, which asks the application's {@code File} for its path again after the
 * decision read it: a subclass that named {@code announced.txt} to Warden and another file to the JDK had the child
 * write that other file under a receipt naming the first (a twelfth review, 2026-12-07). Each file's path is read
 * once here, and the JDK is handed a plain {@code File} of it, so what is described is what is opened.
 */
final class RedirectFiles {

    private RedirectFiles() {
    }

    /**
     * @return {@code redirects} itself when every file in it is a plain {@code java.io.File} (or there is none), else a
     *         copy in which each other is replaced by a plain one of the path it gave, with the same type
     */
    static Redirect[] snapshot(Redirect[] redirects) {
        if (redirects == null) {
            return null;
        }
        Redirect[] copy = null;
        for (int i = 0; i < redirects.length; i++) {
            Redirect redirect = redirects[i];
            File file = redirect == null ? null : redirect.file();
            // java.io.File's own getPath returns its final field; only another class can answer twice differently.
            if (file == null || file.getClass() == File.class) {
                continue;
            }
            if (copy == null) {
                copy = redirects.clone();
            }
            copy[i] = of(redirect.type(), new File(file.getPath()));
        }
        return copy == null ? redirects : copy;
    }

    private static Redirect of(Redirect.Type type, File file) {
        switch (type) {
            case READ:
                return Redirect.from(file);
            case WRITE:
                return Redirect.to(file);
            case APPEND:
                return Redirect.appendTo(file);
            default:
                throw new IllegalStateException("a redirect with a file of type " + type);
        }
    }
}
